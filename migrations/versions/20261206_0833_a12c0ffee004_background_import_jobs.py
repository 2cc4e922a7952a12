"""Integrity: background import jobs

Revision ID: a12c0ffee004
Revises: a12c0ffee003
Create Date: 2026-12-06 08:30:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = 'a12c0ffee004'
down_revision: str | None = 'a12c0ffee003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision: the import_jobs table."""
    op.create_table('import_jobs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('observations', 'structure', 'indicators', name='importkind', native_enum=False, length=40), nullable=False),
    sa.Column('city_id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=True),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('is_dry_run', sa.Boolean(), nullable=False),
    sa.Column('source_job_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.Enum('queued', 'running', 'done', 'failed', name='jobstatus', native_enum=False, length=40), nullable=False),
    sa.Column('progress', sa.Integer(), nullable=False),
    sa.Column('step', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('file_name', sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
    sa.Column('original_name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('file_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('state_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('file_size', sa.Integer(), nullable=False),
    sa.Column('result_key', sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
    sa.Column('row_count', sa.Integer(), nullable=False),
    sa.Column('created_count', sa.Integer(), nullable=False),
    sa.Column('updated_count', sa.Integer(), nullable=False),
    sa.Column('unchanged_count', sa.Integer(), nullable=False),
    sa.Column('error_count', sa.Integer(), nullable=False),
    sa.Column('warning_count', sa.Integer(), nullable=False),
    sa.Column('is_saved', sa.Boolean(), nullable=False),
    sa.Column('error', sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('started_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('finished_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.CheckConstraint('progress BETWEEN 0 AND 100', name=op.f('ck_import_jobs_progress_range')),
    sa.ForeignKeyConstraint(['city_id'], ['cities.id'], name=op.f('fk_import_jobs_city_id_cities')),
    sa.ForeignKeyConstraint(['plan_id'], ['plans.id'], name=op.f('fk_import_jobs_plan_id_plans')),
    sa.ForeignKeyConstraint(['source_job_id'], ['import_jobs.id'], name=op.f('fk_import_jobs_source_job_id_import_jobs')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_import_jobs_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_import_jobs'))
    )
    with op.batch_alter_table('import_jobs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_import_jobs_city_id'), ['city_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_import_jobs_source_job_id'), ['source_job_id'], unique=False)


def downgrade() -> None:
    """Revert this revision: drop the import_jobs table (the job records only; uploads stay
    under instance/import-jobs/ until they expire)."""
    with op.batch_alter_table('import_jobs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_import_jobs_source_job_id'))
        batch_op.drop_index(batch_op.f('ix_import_jobs_city_id'))

    op.drop_table('import_jobs')
