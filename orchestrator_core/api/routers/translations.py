"""Form field labels for orchestrator-ui (`GET /api/translations/{language}`), at the reference's path.

The UI asks on every page and merges `forms.fields` with its own texts. No labels are kept here: the
answer is the empty set, so form fields show their own titles (as pydantic-forms gives them)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path

router = APIRouter(prefix="/api/translations", tags=["settings"])


@router.get("/{language}", response_model=dict[str, Any])
def translations(language: Annotated[str, Path(pattern=r"^[a-z]{2,3}-[A-Z]{2,3}$", description="e.g. en-GB")]) -> Any:
    return {"forms": {"fields": {}}}
