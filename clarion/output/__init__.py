"""Stage 3, output: HTML → PDF, the privacy scan, and the only writer to build/."""
