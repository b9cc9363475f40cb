"""Marker for the reference's schema revision da5c9f4cce1c (subscription metadata in search).

Applications' data heads depend on a reference schema revision by id; this marker lets them resolve here.
"""

from orchestrator_core.migrations.reference_marker import downgrade, upgrade

revision = "da5c9f4cce1c"
down_revision = "165303a20fb1"
branch_labels = None
depends_on = None

__all__ = ["downgrade", "upgrade"]
