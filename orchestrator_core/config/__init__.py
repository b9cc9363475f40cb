"""Configuration names at the reference system's paths (`orchestrator_core.config.X`)."""
