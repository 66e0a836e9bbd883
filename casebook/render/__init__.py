"""Stage 3: the model and its indexes as pages (Markdown around Casebook's own HTML), the search
index and the format docs. Nothing here imports a later stage (the handouts are the export
stage's)."""
