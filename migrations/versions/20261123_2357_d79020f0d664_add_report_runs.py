"""Add report runs: every generation of a PDF report and its stored file.

Revision ID: d79020f0d664
Revises: a56bc1c670cd
Create Date: 2026-11-23 23:57:58.899893
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel  # noqa: F401  (autogenerate writes sqlmodel types)
from alembic import op


revision: str = 'd79020f0d664'
down_revision: str | None = 'a56bc1c670cd'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    op.create_table('report_runs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('city', 'network', 'summary', name='reportkind', native_enum=False, length=40), nullable=False),
    sa.Column('city_id', sa.Integer(), nullable=True),
    sa.Column('network_id', sa.Integer(), nullable=True),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('page_size', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('status', sa.Enum('queued', 'running', 'done', 'failed', name='runstatus', native_enum=False, length=40), nullable=False),
    sa.Column('progress', sa.Integer(), nullable=False),
    sa.Column('step', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('data_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('file_name', sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
    sa.Column('size', sa.Integer(), nullable=True),
    sa.Column('error', sqlmodel.sql.sqltypes.AutoString(length=4000), nullable=False),
    sa.Column('requested_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('started_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('finished_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('regenerated_from_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("(kind = 'network' AND city_id IS NULL AND network_id IS NOT NULL) OR (kind <> 'network' AND city_id IS NOT NULL)", name=op.f('ck_report_runs_target')),
    sa.CheckConstraint('progress BETWEEN 0 AND 100', name=op.f('ck_report_runs_progress_range')),
    sa.ForeignKeyConstraint(['city_id'], ['cities.id'], name=op.f('fk_report_runs_city_id_cities')),
    sa.ForeignKeyConstraint(['network_id'], ['networks.id'], name=op.f('fk_report_runs_network_id_networks')),
    sa.ForeignKeyConstraint(['regenerated_from_id'], ['report_runs.id'], name=op.f('fk_report_runs_regenerated_from_id_report_runs')),
    sa.ForeignKeyConstraint(['requested_by_id'], ['users.id'], name=op.f('fk_report_runs_requested_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_report_runs'))
    )
    with op.batch_alter_table('report_runs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_report_runs_city_id'), ['city_id'], unique=False)
        batch_op.create_index('ix_report_runs_lookup', ['kind', 'city_id', 'network_id', 'year', 'data_hash'], unique=False)
        batch_op.create_index(batch_op.f('ix_report_runs_network_id'), ['network_id'], unique=False)



def downgrade() -> None:
    """Revert this revision."""
    with op.batch_alter_table('report_runs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_report_runs_network_id'))
        batch_op.drop_index('ix_report_runs_lookup')
        batch_op.drop_index(batch_op.f('ix_report_runs_city_id'))

    op.drop_table('report_runs')
