"""Marker for the reference's schema revision ca79fd834ba0 (search paths).

Applications' data heads depend on a reference schema revision by id; this marker lets them resolve here.
"""

from orchestrator_core.migrations.reference_marker import downgrade, upgrade

revision = "ca79fd834ba0"
down_revision = "f4a7c9e21b08"
branch_labels = None
depends_on = None

__all__ = ["downgrade", "upgrade"]
