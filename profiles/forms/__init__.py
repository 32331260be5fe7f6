"""Profiles' forms, one module per feature."""
