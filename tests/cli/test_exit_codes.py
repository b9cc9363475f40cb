"""`orchestrator run` and `resume` end with an exit code that says how the process stands (issue 17):
0 completed, 1 failed, 2 refused, 3 suspended; `--help` documents them."""

from __future__ import annotations

from tests.cli.invoking import invoke as run
from tests.cli.invoking import process_id_in


def test_a_completed_run_exits_0():
    result = run("run", "cli_completes")

    assert result.exit_code == 0, result.output
    assert "completed" in result.output


def test_a_failed_run_exits_1_and_a_failed_resume_too():
    failed = run("run", "cli_fails")
    assert failed.exit_code == 1, failed.output

    again = run("resume", process_id_in(failed.output))
    assert again.exit_code == 1, again.output


def test_a_suspended_run_exits_3_and_its_resume_with_input_exits_0():
    suspended = run("run", "cli_suspends")
    assert suspended.exit_code == 3, suspended.output

    resumed = run("resume", process_id_in(suspended.output), "--input", '{"approved": true}')
    assert resumed.exit_code == 0, resumed.output


def test_a_refused_run_exits_2():
    result = run("run", "cli_two_pages", "--input", '{"name": 5}')

    assert result.exit_code == 2, result.output
    assert "Refused" in result.output


def test_help_documents_the_codes():
    for command in ("run", "resume"):
        result = run(command, "--help")
        text = " ".join(result.output.split())
        assert "0 completed" in text and "1 failed" in text and "3 suspended" in text, result.output


def test_run_prints_each_step_as_it_commits_then_the_outcome():
    result = run("run", "cli_fails")

    lines = result.output.splitlines()
    started = next(i for i, line in enumerate(lines) if line.startswith("Started cli_fails process"))
    hello = next(i for i, line in enumerate(lines) if "2 Say hello success" in line)
    broke = next(i for i, line in enumerate(lines) if "3 Break failed" in line)
    outcome = next(i for i, line in enumerate(lines) if line.startswith("Failed at step 'Break'"))
    assert started < hello < broke < outcome, result.output


def test_resume_prints_only_the_steps_it_runs():
    suspended = run("run", "cli_suspends")
    resumed = run("resume", process_id_in(suspended.output)[:8], "--input", '{"approved": true}')

    assert "Say hello success" in resumed.output and " 1 Start" not in resumed.output, resumed.output
