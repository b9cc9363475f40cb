"""The engine: runs a workflow's StepList as a Prefect flow, one Prefect task per step,
over our own step log, which decides what a retry skips."""
