"""Profiles' reads, scoped to the viewer, one module per feature."""
