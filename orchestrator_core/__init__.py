"""A subscription orchestrator for network service providers, running workflows on Prefect."""

__version__ = "0.1.0"
