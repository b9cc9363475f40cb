"""The state merge, for any input: a step's keys win, None leaves the state as it was, and anything
that is not a dict is refused with an error that names the step and what it returned."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from orchestrator_core.engine.state import StepResultError, merge
from tests.json_strategies import json_values, texts

states = st.dictionaries(texts, json_values, max_size=5)


@given(states, st.dictionaries(texts, json_values, max_size=5))
def test_later_keys_win_and_others_are_kept(state, result):
    merged = merge(state, result, "Step")
    assert set(merged) == set(state) | set(result)
    for key, value in merged.items():
        assert value == (result[key] if key in result else state[key])


@given(states)
def test_none_leaves_the_state_unchanged_and_unshared(state):
    merged = merge(state, None, "Step")
    assert merged == state
    merged[("probe",)] = 1  # a key no JSON state can hold
    assert ("probe",) not in state


@given(states, json_values.filter(lambda v: v is not None and not isinstance(v, dict)) | st.tuples(st.integers())
       | st.sets(st.integers(), max_size=2))
def test_a_non_dict_result_is_refused_with_a_clear_error(state, result):
    with pytest.raises(StepResultError, match=rf"Step 'Configure VLAN' returned {type(result).__name__}; a step "
                                              r"must return a dict \(or None\)"):
        merge(state, result, "Configure VLAN")


@given(states, st.lists(st.none() | st.dictionaries(texts, json_values, max_size=3), max_size=5))
def test_merging_step_by_step_equals_one_merge_of_all_results(state, results):
    """Why replay can restore the last row's state: the merge is a left fold with no memory."""
    folded = state
    for result in results:
        folded = merge(folded, result, "Step")
    expected = dict(state)
    for result in results:
        expected.update(result or {})
    assert folded == expected
