"""Stored progress: each city's data version and its progress results computed from it

A city's progress (statuses, scores, roll-ups, counts) is kept with the data version it was
computed from, so the network page reads it instead of running the engine for every city.
No rows are written here: a city without a version row is at version 0 and, having no stored
results, is recomputed in the background when first shown.

Revision ID: a16c0ffee001
Revises: a15c0ffee001
Create Date: 2026-12-06 16:00:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = 'a16c0ffee001'
down_revision: str | None = 'a15c0ffee001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision: the progress_versions and the two stored results tables."""
    op.create_table('progress_versions',
    sa.Column('city_id', sa.Integer(), nullable=False),
    sa.Column('version', sa.BigInteger(), nullable=False),
    sa.ForeignKeyConstraint(['city_id'], ['cities.id'], name=op.f('fk_progress_versions_city_id_cities'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('city_id', name=op.f('pk_progress_versions'))
    )
    op.create_table('progress_city_results',
    sa.Column('city_id', sa.Integer(), nullable=False),
    sa.Column('data_version', sa.BigInteger(), nullable=False),
    sa.Column('computed_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('score', sa.Float(), nullable=True),
    sa.Column('indicators', sa.Integer(), nullable=False),
    sa.Column('counts', sa.JSON(), nullable=False),
    sa.Column('goals', sa.JSON(), nullable=False),
    sa.Column('targets', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['city_id'], ['cities.id'], name=op.f('fk_progress_city_results_city_id_cities'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('city_id', name=op.f('pk_progress_city_results'))
    )
    op.create_table('progress_indicator_results',
    sa.Column('indicator_id', sa.Integer(), nullable=False),
    sa.Column('city_id', sa.Integer(), nullable=False),
    sa.Column('data_version', sa.BigInteger(), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('score', sa.Float(), nullable=True),
    sa.ForeignKeyConstraint(['city_id'], ['cities.id'], name=op.f('fk_progress_indicator_results_city_id_cities'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['indicator_id'], ['local_indicators.id'], name=op.f('fk_progress_indicator_results_indicator_id_local_indicators'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('indicator_id', name=op.f('pk_progress_indicator_results'))
    )
    with op.batch_alter_table('progress_indicator_results', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_progress_indicator_results_city_id'), ['city_id'], unique=False)


def downgrade() -> None:
    """Revert this revision: drop the stored results and the versions (they are derived
    data: the progress pages compute them again)."""
    with op.batch_alter_table('progress_indicator_results', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_progress_indicator_results_city_id'))

    op.drop_table('progress_indicator_results')
    op.drop_table('progress_city_results')
    op.drop_table('progress_versions')
