"""Small reusable widgets: an optional UK date field, a RAG count bar and a trend chart."""
