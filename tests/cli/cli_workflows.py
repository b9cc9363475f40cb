"""Workflows the CLI tests run: one of each ending a command's exit code depends on, and a form of two
pages (the second with choices and defaults) that the interactive walk answers through prompts."""

from __future__ import annotations

from typing import Literal

from orchestrator_core.forms import FormPage
from orchestrator_core.workflow import done, init, inputstep, step, workflow


@step("Say hello")
def say_hello() -> dict:
    return {"hello": "world"}


@step("Break")
def breaks() -> dict:
    raise RuntimeError("the device said no")


@workflow("Completes")
def cli_completes():
    return init >> say_hello >> done


@workflow("Fails at its second step")
def cli_fails():
    return init >> say_hello >> breaks >> done


class Approval(FormPage):
    approved: bool


@inputstep("Approve")
def approve():
    user_input = yield Approval
    return user_input.model_dump()


@workflow("Suspends for approval")
def cli_suspends():
    return init >> approve >> say_hello >> done


class NamePage(FormPage):
    name: str


class DetailsPage(FormPage):
    colour: Literal["red", "green", "blue"]
    count: int = 3
    note: str = ""


def two_pages():
    first = yield NamePage
    second = yield DetailsPage
    return {**first.model_dump(), **second.model_dump()}


@step("Greet")
def greet(name: str, colour: str, count: int) -> dict:
    return {"greeting": f"{name} {colour} {count}"}


@workflow("A form of two pages", initial_input_form=two_pages)
def cli_two_pages():
    return init >> greet >> done


NAMES = ["cli_completes", "cli_fails", "cli_suspends", "cli_two_pages"]
