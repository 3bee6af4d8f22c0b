"""The Board page's parts: the member table model and the member dialogs."""
