"""Stage 1: read the YAML, check it against the format, and make the model."""
