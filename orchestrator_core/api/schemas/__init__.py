"""Response and request models of the API: they make the OpenAPI document exact."""
