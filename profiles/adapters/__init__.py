"""Adapters to the vendor's external systems, one module per system; each has a real default
implementation chosen by a setting."""
