"""JSON text of the values workflows handle, in the reference's format, for applications' code.

Workflows write `json.loads(json_dumps(subscription))` to put a readable copy of a domain model in
a state or a payload. `json_dumps` turns what the standard library cannot write into plain JSON:
domain models and other pydantic models (their `model_dump()`), UUIDs, datetimes (ISO 8601 to the
second, as the reference writes them), enums (their value), sets, Decimals, IP addresses,
dataclasses, and objects with `__json__()` or `to_dict()`. Keys that are not text (UUIDs, enums)
become text. `json_loads` reads JSON back and turns the top-level values that look like such
timestamps into timezone-aware datetimes; UUIDs stay text, as in the reference.

The engine keeps its own state serialisation (microsecond precision, for resumes); this module is
the reference's helper and its format.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from contextlib import suppress
from dataclasses import asdict, is_dataclass
from datetime import date, datetime, time
from decimal import Decimal
from enum import Enum
from typing import Any
from uuid import UUID

from pydantic import BaseModel

from orchestrator_core.utils.helpers import is_ipaddress_type

PY_JSON_TYPES = dict[str, Any] | list | str | int | float | bool | None | object


def json_dumps(obj: PY_JSON_TYPES, indent: bool = False, sort_keys: bool = False) -> str:
    """`obj` as JSON text: compact, or indented by two spaces; non-ASCII text as is."""
    plain = _jsonable(obj)
    if indent:
        return json.dumps(plain, indent=2, sort_keys=sort_keys, ensure_ascii=False)
    return json.dumps(plain, separators=(",", ":"), sort_keys=sort_keys, ensure_ascii=False)


def json_loads(s: str | bytes | bytearray) -> PY_JSON_TYPES:
    """Parse JSON text; timestamps among a top-level object's values (or a top-level list's objects'
    values) become datetimes."""
    value = json.loads(s)
    if isinstance(value, list):
        return [from_serializable(item) if isinstance(item, dict) else item for item in value]
    return from_serializable(value) if isinstance(value, dict) else value


def to_serializable(o: Any) -> Any:
    """A value JSON can hold, for one the standard library cannot write; TypeError if there is none."""
    if isinstance(o, Decimal | UUID) or is_ipaddress_type(o):
        return str(o)
    if isinstance(o, datetime | time):
        return o.isoformat(timespec="seconds")
    if isinstance(o, date):
        return o.isoformat()
    if is_dataclass(o) and not isinstance(o, type):
        return asdict(o)
    if hasattr(o, "__json__"):
        return o.__json__()
    if hasattr(o, "to_dict"):
        return o.to_dict()
    if isinstance(o, BaseModel):
        return o.model_dump()
    if isinstance(o, set | frozenset):
        return list(o)
    raise TypeError(f"Could not serialize object of type {o.__class__.__name__} to JSON")


def _jsonable(value: Any) -> Any:
    """`value` with everything in it made JSON's own types, keys text (or numbers, as JSON allows)."""
    if isinstance(value, Enum):
        return _jsonable(value.value)
    if isinstance(value, float) and not math.isfinite(value):
        return None  # as the reference writes NaN and infinities
    if value is None or isinstance(value, str | int | float | bool):
        return value
    if isinstance(value, dict):
        return {_key(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(item) for item in value]
    return _jsonable(to_serializable(value))


def _key(key: Any) -> Any:
    if isinstance(key, Enum) or not (key is None or isinstance(key, str | int | float | bool)):
        return str(_jsonable(key))
    return key


ISO_FORMAT_STR_LEN = len("2019-05-18T15:17:00+00:00")
"""The length of the timestamps json_dumps writes (seconds, with an offset); `from_serializable` reads
only text of this shape, not every string."""


def from_serializable(dct: dict[str, Any]) -> dict[str, Any]:
    """`dct` with its values that are timezone-aware timestamps of json_dumps' form made datetimes."""
    for key, value in dct.items():
        if isinstance(value, str) and len(value) == ISO_FORMAT_STR_LEN and value[10] == "T":
            with suppress(ValueError):
                timestamp = datetime.fromisoformat(value)
                if timestamp.tzinfo is not None:
                    dct[key] = timestamp
    return dct


def non_none_dict(dikt: Sequence[tuple[str, Any]]) -> dict[Any, Any]:
    """The pairs whose value is not None, as a dict (a `dict_factory` for `dataclasses.asdict`)."""
    return {k: v for k, v in dikt if v is not None}
