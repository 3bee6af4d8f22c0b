"""One module per section of the board pack and the minutes; each returns flowables."""
