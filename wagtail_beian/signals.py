"""Signal wiring; filled in by the models layer."""
