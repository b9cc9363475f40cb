"""Marker for the reference's schema revision 68d14db1b8da (workflow description required).

Applications' data heads depend on a reference schema revision by id; this marker lets them resolve here.
"""

from orchestrator_core.migrations.reference_marker import downgrade, upgrade

revision = "68d14db1b8da"
down_revision = "fc5c993a4b4a"
branch_labels = None
depends_on = None

__all__ = ["downgrade", "upgrade"]
