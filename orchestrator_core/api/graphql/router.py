"""POST /api/graphql: a GraphQL request in, `{data, errors}` out (HTTP 200 whatever the query's errors,
as GraphQL clients expect). The query runs in FastAPI's thread pool, since every resolver reads through
our synchronous services. A refusal of ours (an unknown filter field, a malformed id) is an error with
its reason code in `extensions`; anything else that fails is logged and answered as an internal error."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends
from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse
from graphql import GraphQLError
from pydantic import BaseModel, ConfigDict, Field

from orchestrator_core.api.auth import AuthUser, reader
from orchestrator_core.api.graphql.context import GraphqlContext
from orchestrator_core.api.graphql.schema import MAX_QUERY_LENGTH, SCHEMA
from orchestrator_core.errors import OrchestratorError

router = APIRouter(tags=["graphql"])


class GraphqlRequest(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    query: str = Field(min_length=1, max_length=MAX_QUERY_LENGTH, description="The GraphQL document")
    variables: dict[str, Any] | None = Field(default=None, description="Values of its variables")
    operation_name: str | None = Field(default=None, alias="operationName", max_length=255)


class GraphqlResponse(BaseModel):
    data: dict[str, Any] | None = None
    errors: list[dict[str, Any]] | None = None


def error_body(error: GraphQLError) -> dict[str, Any]:
    body: dict[str, Any] = dict(error.formatted)
    original = error.original_error
    if isinstance(original, OrchestratorError):
        body["message"] = original.message
        body["extensions"] = {"code": original.code, "http_status": original.http_status, **original.details}
    elif original is not None and not isinstance(original, GraphQLError):  # a GraphQLError: the caller's own
        body["message"] = "Internal error; the server log has the details"
        body["extensions"] = {"code": "internal_error"}
    return body


@router.post(
    "/api/graphql",
    response_model=GraphqlResponse,
    response_model_exclude_none=True,
    summary="GraphQL (orchestrator-ui's reads)",
)
def graphql(body: GraphqlRequest, user: AuthUser | None = Depends(reader)) -> JSONResponse:
    """Queries only; the schema is the reference's for what orchestrator-ui asks (see the README)."""
    result = SCHEMA.execute_sync(
        body.query,
        variable_values=body.variables,
        operation_name=body.operation_name,
        context_value=GraphqlContext(user=user),
    )
    answer: dict[str, Any] = {"data": result.data}  # JSON already: scalars are serialized by the schema
    if result.errors:
        answer["errors"] = jsonable_encoder([error_body(e) for e in result.errors])  # details may hold ids
    return JSONResponse(answer)
