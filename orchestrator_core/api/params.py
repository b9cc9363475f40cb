"""Text parameters the database can store: bounded length and no NUL character (Postgres text
cannot hold one), so such input is a 422 naming the parameter instead of a database error."""

from __future__ import annotations

from typing import Any

from fastapi import Query

NO_NUL = r"^[^\x00]*$"


def text_query(max_length: int, description: str = "") -> Any:
    return Query(max_length=max_length, pattern=NO_NUL, description=description or None)
