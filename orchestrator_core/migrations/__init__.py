"""The core schema's migrations (branch `schema`) and the helpers applications' data migrations use."""
