"""Hypothesis strategies for what a step may put in the state: anything JSON that Postgres JSONB
stores (no NUL characters, no NaN or infinities), nested a few levels deep."""

from __future__ import annotations

from hypothesis import strategies as st

FLOAT_LIMIT = 1e15
"""Postgres JSONB keeps a number's decimal digits, not its type: a float of 1e16 or more (written
`3.838091772045806e+16`) comes back as the int 38380917720458060, another value. Floats below
stay floats; test_step_log_replay_properties shows the larger ones as a known gap."""

texts = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=12)
scalars = st.none() | st.booleans() | st.integers(-(2**53), 2**53) | st.floats(-FLOAT_LIMIT, FLOAT_LIMIT) | texts
json_values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(texts, inner,
                                                                                                 max_size=3),
                           max_leaves=8)
step_results = st.none() | st.dictionaries(texts, json_values, max_size=4)
"""What a step returns: None (state unchanged) or a dict merged into the state."""
