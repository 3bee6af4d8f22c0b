"""Dialogs for the main window's slow work: open a database, back up and restore, export
trackers, import returns (with a row-by-row preview), board packs and minutes."""
