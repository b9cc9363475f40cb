"""Marker for the reference's schema revision 6896a54e9483 (product block relations).

Applications' data heads depend on a reference schema revision by id; this marker lets them resolve here.
"""

from orchestrator_core.migrations.reference_marker import downgrade, upgrade

revision = "6896a54e9483"
down_revision = "3c8b9185c221"
branch_labels = None
depends_on = None

__all__ = ["downgrade", "upgrade"]
