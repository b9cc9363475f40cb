"""Marker for the reference's schema revision 161918133bec (is_task on workflows).

Applications' data heads depend on a reference schema revision by id; this marker lets them resolve here.
"""

from orchestrator_core.migrations.reference_marker import downgrade, upgrade

revision = "161918133bec"
down_revision = "68d14db1b8da"
branch_labels = None
depends_on = None

__all__ = ["downgrade", "upgrade"]
