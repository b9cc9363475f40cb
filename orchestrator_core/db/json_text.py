"""JSON text for the JSONB (and SQLite JSON) columns, written so that every value reads back as itself.

Postgres JSONB stores a number as `numeric` and prints it without an exponent: the float
3.838091772045806e16, which json.dumps writes in exponent form, would come back as the int
38380917720458060, another value of another type, and a resumed process would see it. A float
that Python writes with a positive exponent is integral, so it is written here as its exact
digits with '.0' instead: numeric keeps that scale, prints it back, and it is read as the same
float. NaN and infinities have no JSON form; they are refused with where they are, before
anything is written.
"""

from __future__ import annotations

import json
import math
from typing import Any


class NotJsonError(ValueError):
    """A value that JSON cannot hold; the message says where it is."""


def dumps(value: Any) -> str:
    try:
        text = json.dumps(value, allow_nan=False)
    except ValueError:
        raise NotJsonError(_non_finite_message(value)) from None
    if "e+" not in text:  # no float in exponent form (or only text that looks like one)
        return text
    return _exact(value)


def _exact(value: Any) -> str:
    if isinstance(value, float):
        text = repr(value)
        return f"{value:.1f}" if "e+" in text else text
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_key(k)}: {_exact(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_exact(v) for v in value) + "]"
    return json.dumps(value)


def _key(key: Any) -> str:
    """As json.dumps writes a key: text as is, a number, bool or None as its JSON text, quoted."""
    return json.dumps(key if isinstance(key, str) else json.dumps(key))


def _non_finite_message(value: Any) -> str:
    path = non_finite_path(value)
    where = f" at $.{'.'.join(path)}" if path else ""
    return f"A state holds a number JSON cannot store{where} (NaN and infinities have no JSON form)"


def non_finite_path(value: Any) -> list[str] | None:
    """Where the first NaN or infinity in `value` is, as keys and list indexes; None if there is none."""
    if isinstance(value, float):
        return None if math.isfinite(value) else []
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list | tuple) else ()
    for key, item in items:
        found = non_finite_path(item)
        if found is not None:
            return [str(key), *found]
    return None
