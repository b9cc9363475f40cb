"""Marker for the reference's schema revision 165303a20fb1 (customer id as text).

Applications' data heads depend on a reference schema revision by id; this marker lets them resolve here.
"""

from orchestrator_core.migrations.reference_marker import downgrade, upgrade

revision = "165303a20fb1"
down_revision = "a09ac125ea73"
branch_labels = None
depends_on = None

__all__ = ["downgrade", "upgrade"]
