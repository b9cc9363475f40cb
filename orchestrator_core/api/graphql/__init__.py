"""GraphQL at /api/graphql for orchestrator-ui, the reference's web UI: its nine root fields (`processes`,
`subscriptions`, `products`, `productBlocks`, `resourceTypes`, `workflows`, `customers`, `scheduledTasks`,
`version`) with the reference's type and field names and its list conventions (`GraphqlFilter`,
`GraphqlSort`, integer `first`/`after`, `pageInfo`, a `key:value` `query`). Read-only, and reading
through the same services as the REST API, so that authorization and search answer alike.
"""

from orchestrator_core.api.graphql.router import router

__all__ = ["router"]
