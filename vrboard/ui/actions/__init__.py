"""The actions page's parts: the big table model, the filter bar, the detail panel and dialogs."""
