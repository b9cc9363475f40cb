"""Marker for the reference's schema revision c112305b07d3 (initial schema).

Applications' data heads depend on a reference schema revision by id; this marker lets them resolve here.
"""

from orchestrator_core.migrations.reference_marker import downgrade, upgrade

revision = "c112305b07d3"
down_revision = "0010"
branch_labels = None
depends_on = None

__all__ = ["downgrade", "upgrade"]
