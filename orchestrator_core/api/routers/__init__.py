"""One router a resource; each only translates HTTP to service calls and back."""
