"""Form generators (pydantic-forms), checked before a process exists."""

from pydantic_forms.core import FormPage
from pydantic_forms.types import FormGenerator, State

from orchestrator_core.forms.validation import FormIncompleteError, FormInvalidError, validate_form

__all__ = ["FormGenerator", "FormIncompleteError", "FormInvalidError", "FormPage", "State", "validate_form"]
