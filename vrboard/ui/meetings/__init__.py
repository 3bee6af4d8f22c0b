"""The Meetings page's parts: list model, meeting dialog, agenda editor, attendance grid,
declarations panel, minutes editor and the approve-minutes dialog."""
