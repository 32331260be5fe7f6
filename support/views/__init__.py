"""Support's views, one module per feature."""
