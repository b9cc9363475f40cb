"""Marker for the reference's schema revision a76b9185b334 (generic workflows).

Applications' data heads depend on a reference schema revision by id; this marker lets them resolve here.
"""

from orchestrator_core.migrations.reference_marker import downgrade, upgrade

revision = "a76b9185b334"
down_revision = "c112305b07d3"
branch_labels = None
depends_on = None

__all__ = ["downgrade", "upgrade"]
