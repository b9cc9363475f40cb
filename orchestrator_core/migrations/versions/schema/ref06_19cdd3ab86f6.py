"""Marker for the reference's schema revision 19cdd3ab86f6 (web search parsing).

Applications' data heads depend on a reference schema revision by id; this marker lets them resolve here.
"""

from orchestrator_core.migrations.reference_marker import downgrade, upgrade

revision = "19cdd3ab86f6"
down_revision = "6896a54e9483"
branch_labels = None
depends_on = None

__all__ = ["downgrade", "upgrade"]
