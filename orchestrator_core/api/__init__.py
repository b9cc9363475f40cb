"""The HTTP entry point: a FastAPI app, one router a resource (`create_app`)."""
