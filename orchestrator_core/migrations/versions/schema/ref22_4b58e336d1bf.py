"""Marker for the reference's schema revision 4b58e336d1bf (workflow target on processes_subscriptions).

Applications' data heads depend on a reference schema revision by id; this marker lets them resolve here.
"""

from orchestrator_core.migrations.reference_marker import downgrade, upgrade

revision = "4b58e336d1bf"
down_revision = "161918133bec"
branch_labels = None
depends_on = None

__all__ = ["downgrade", "upgrade"]
