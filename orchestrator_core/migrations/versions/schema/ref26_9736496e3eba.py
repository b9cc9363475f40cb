"""Marker for the reference's schema revision 9736496e3eba (is_task on tasks).

Applications' data heads depend on a reference schema revision by id; this marker lets them resolve here.
"""

from orchestrator_core.migrations.reference_marker import downgrade, upgrade

revision = "9736496e3eba"
down_revision = "961eddbd4c13"
branch_labels = None
depends_on = None

__all__ = ["downgrade", "upgrade"]
