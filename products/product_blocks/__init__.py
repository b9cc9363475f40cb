"""Product block models of our products."""
