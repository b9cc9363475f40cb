"""Utilities at the reference system's paths (`orchestrator_core.utils.X`)."""
