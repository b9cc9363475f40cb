"""Guard tests: the WF_* maps are restored after every test by tests/conftest.py."""
