"""Hypothesis strategies for what a step may put in the state: anything JSON that Postgres JSONB
stores (no NUL characters, no NaN or infinities), nested a few levels deep. Floats of any size:
db/json_text writes the large ones so that JSONB gives back the same float."""

from __future__ import annotations

from hypothesis import strategies as st

texts = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=12)
finite_floats = st.floats(allow_nan=False, allow_infinity=False)
scalars = st.none() | st.booleans() | st.integers(-(2**53), 2**53) | finite_floats | texts
json_values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(texts, inner,
                                                                                                 max_size=3),
                           max_leaves=8)
step_results = st.none() | st.dictionaries(texts, json_values, max_size=4)
"""What a step returns: None (state unchanged) or a dict merged into the state."""
