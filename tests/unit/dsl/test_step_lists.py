"""The step DSL as authors write it (`>>`, `begin`, `conditional`, the step decorators): pure
composition, checked without running anything."""

from __future__ import annotations

import pytest

from orchestrator_core.workflow import StepList, begin, conditional, inputstep, retrystep, step


@step("One")
def one(n: int) -> dict:
    return {"n": n + 1}


@step("Two")
def two() -> dict:
    return {"two": True}


@retrystep("Flaky")
def flaky() -> dict:
    return {}


def test_shift_composes_steps_and_lists_associatively():
    left = (begin >> one) >> (two >> flaky)
    right = begin >> (one >> two) >> flaky
    assert [s.name for s in left] == [s.name for s in right] == ["One", "Two", "Flaky"]
    assert isinstance(left[1:], StepList) and str(left[1:]) == "StepList [Two, Flaky]"
    assert begin == StepList(), "composing never changes `begin`"


def test_a_step_is_still_the_authors_function():
    assert one(1) == {"n": 2} and one.__name__ == "one"
    assert (one.kind, flaky.kind) == ("step", "retrystep")


def test_shifting_something_that_is_not_a_step_names_it():
    def plain() -> None:
        return None

    with pytest.raises(ValueError, match="got 'plain'"):
        begin >> one >> plain  # type: ignore[operator]


def test_conditional_adds_its_predicate_to_every_wrapped_step_and_keeps_earlier_ones():
    big = conditional(lambda state: state["n"] > 10)
    even = conditional(lambda state: state["n"] % 2 == 0)
    steps = even(big(one >> two))
    assert [s.should_run({"n": 12}) for s in steps] == [True, True]
    assert [s.should_run({"n": 11}) for s in steps] == [False, False]
    assert [s.should_run({"n": 4}) for s in steps] == [False, False]
    assert one.should_run({}), "the original step is unchanged"


def test_an_input_step_keeps_its_form_and_changes_nothing_itself():
    def approval_form() -> None:
        return None

    approval = inputstep("Approve")(approval_form)
    assert (approval.kind, approval.form) == ("inputstep", approval_form)
    assert approval() == {}
