"""Subscription models (product types) of our products."""
