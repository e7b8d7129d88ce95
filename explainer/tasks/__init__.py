"""Data sets and their evaluation (numpy only; no model code)."""
