"""Speed, query and memory figures for Pôle Plan (``python -m benchmarks``)."""
