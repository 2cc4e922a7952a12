"""Add reviewer notes

Revision ID: 06d304dcdd25
Revises: d79020f0d664
Create Date: 2026-11-23 23:58:08.796364
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel  # noqa: F401  (autogenerate writes sqlmodel types)
from alembic import op


revision: str = '06d304dcdd25'
down_revision: str | None = 'd79020f0d664'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    op.create_table('reviewer_notes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('local_indicator_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('text', sqlmodel.sql.sqltypes.AutoString(length=4000), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_reviewer_notes_author_id_users')),
    sa.ForeignKeyConstraint(['local_indicator_id'], ['local_indicators.id'], name=op.f('fk_reviewer_notes_local_indicator_id_local_indicators')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reviewer_notes'))
    )
    with op.batch_alter_table('reviewer_notes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reviewer_notes_author_id'), ['author_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_reviewer_notes_local_indicator_id'), ['local_indicator_id'], unique=False)


def downgrade() -> None:
    """Revert this revision."""
    with op.batch_alter_table('reviewer_notes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reviewer_notes_local_indicator_id'))
        batch_op.drop_index(batch_op.f('ix_reviewer_notes_author_id'))

    op.drop_table('reviewer_notes')
