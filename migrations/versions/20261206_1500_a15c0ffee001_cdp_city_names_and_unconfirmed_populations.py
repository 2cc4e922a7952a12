"""CDP history: a city's alternative names, and inventory populations awaiting confirmation

CDP names some accounts otherwise than the tracker does ("Durban" for eThekwini); an imported
population far from the city's previous figure is kept but not used per inhabitant until an
officer confirms it.

Revision ID: a15c0ffee001
Revises: a14c0ffee002
Create Date: 2026-12-06 15:00:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = 'a15c0ffee001'
down_revision: str | None = 'a14c0ffee002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    with op.batch_alter_table('cities', schema=None) as batch_op:
        batch_op.add_column(sa.Column('alternative_names', sa.JSON(), nullable=False,
                                      server_default='[]'))
    with op.batch_alter_table('ghg_inventories', schema=None) as batch_op:
        batch_op.add_column(sa.Column('population_unconfirmed', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))


def downgrade() -> None:
    """Revert this revision (alternative names and confirmation flags are lost)."""
    with op.batch_alter_table('ghg_inventories', schema=None) as batch_op:
        batch_op.drop_column('population_unconfirmed')
    with op.batch_alter_table('cities', schema=None) as batch_op:
        batch_op.drop_column('alternative_names')
