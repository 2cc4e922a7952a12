"""Add evidence files, reporting windows, API tokens, quality flags

Revision ID: b5de97db0e37
Revises: 4affa47f126b
Create Date: 2026-11-23 23:08:27.629218
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel  # noqa: F401  (autogenerate writes sqlmodel types)
from alembic import op


revision: str = 'b5de97db0e37'
down_revision: str | None = '4affa47f126b'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    op.create_table('api_tokens',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('prefix', sqlmodel.sql.sqltypes.AutoString(length=12), nullable=False),
    sa.Column('token_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('last_used_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('revoked_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_api_tokens_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_api_tokens')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_api_tokens_token_hash'))
    )
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_api_tokens_user_id'), ['user_id'], unique=False)

    op.create_table('evidence_files',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('city_id', sa.Integer(), nullable=False),
    sa.Column('original_name', sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
    sa.Column('media_type', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('sha256', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('stored_name', sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
    sa.Column('uploaded_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['city_id'], ['cities.id'], name=op.f('fk_evidence_files_city_id_cities')),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['users.id'], name=op.f('fk_evidence_files_uploaded_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_evidence_files')),
    sa.UniqueConstraint('stored_name', name=op.f('uq_evidence_files_stored_name'))
    )
    with op.batch_alter_table('evidence_files', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_evidence_files_city_id'), ['city_id'], unique=False)

    op.create_table('reporting_windows',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('city_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('quarter', sa.Integer(), nullable=False),
    sa.Column('opens_on', sa.Date(), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint('quarter BETWEEN 0 AND 4', name=op.f('ck_reporting_windows_quarter_range')),
    sa.ForeignKeyConstraint(['city_id'], ['cities.id'], name=op.f('fk_reporting_windows_city_id_cities')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_reporting_windows_updated_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reporting_windows')),
    sa.UniqueConstraint('city_id', 'year', 'quarter', name=op.f('uq_reporting_windows_city_id_year_quarter'))
    )
    with op.batch_alter_table('reporting_windows', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reporting_windows_city_id'), ['city_id'], unique=False)

    with op.batch_alter_table('local_indicators', schema=None) as batch_op:
        batch_op.add_column(sa.Column('sums_to_total', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))

    with op.batch_alter_table('observations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('evidence_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('warning_note', sqlmodel.sql.sqltypes.AutoString(length=2000),
                                      nullable=False, server_default=''))
        batch_op.add_column(sa.Column('follow_up', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
        batch_op.create_foreign_key(batch_op.f('fk_observations_evidence_id_evidence_files'), 'evidence_files', ['evidence_id'], ['id'])



def downgrade() -> None:
    """Revert this revision."""
    with op.batch_alter_table('observations', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_observations_evidence_id_evidence_files'), type_='foreignkey')
        batch_op.drop_column('follow_up')
        batch_op.drop_column('warning_note')
        batch_op.drop_column('evidence_id')

    with op.batch_alter_table('local_indicators', schema=None) as batch_op:
        batch_op.drop_column('sums_to_total')

    with op.batch_alter_table('reporting_windows', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reporting_windows_city_id'))

    op.drop_table('reporting_windows')
    with op.batch_alter_table('evidence_files', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_evidence_files_city_id'))

    op.drop_table('evidence_files')
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_api_tokens_user_id'))

    op.drop_table('api_tokens')
