"""Marker for the reference's schema revision 93fc5834c7e5 (step timestamps).

Applications' data heads depend on a reference schema revision by id; this marker lets them resolve here.
"""

from orchestrator_core.migrations.reference_marker import downgrade, upgrade

revision = "93fc5834c7e5"
down_revision = "4b58e336d1bf"
branch_labels = None
depends_on = None

__all__ = ["downgrade", "upgrade"]
