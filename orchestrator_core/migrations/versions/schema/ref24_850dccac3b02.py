"""Marker for the reference's schema revision 850dccac3b02 (resume workflow descriptions).

Applications' data heads depend on a reference schema revision by id; this marker lets them resolve here.
"""

from orchestrator_core.migrations.reference_marker import downgrade, upgrade

revision = "850dccac3b02"
down_revision = "93fc5834c7e5"
branch_labels = None
depends_on = None

__all__ = ["downgrade", "upgrade"]
