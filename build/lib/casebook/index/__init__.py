"""Stage 2: indexes over the model: cases by term, related cases, positions on learning paths."""
