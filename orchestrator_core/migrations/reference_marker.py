"""The body of every reference-revision marker: the schema above it already provides what it stands for."""


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
