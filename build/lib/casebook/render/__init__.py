"""Stage 3: the model and its indexes as pages (Markdown around Casebook's own HTML), the search
index, the handouts and the format docs."""
