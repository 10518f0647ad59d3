"""Bundled example records (JSON), loaded with `biopipe.example`."""
