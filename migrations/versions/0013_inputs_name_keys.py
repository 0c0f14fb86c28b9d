"""Organisations and learning studios keep a casefolded name key under a unique index

SQLite's lower() folds only A-Z, so "ÉÉN Wijkteam" and "één wijkteam" could both be stored and a
later save ended in an IntegrityError. The key (planner.plain_text.name_key, repeated here so the
migration never changes with the application) is compared instead, on both databases.

Names that are already the same by that key are resolved before the index is made: duplicate
organisations are merged into the oldest one (their people and staff move to it); a learning
studio keeps its series and people, so a later one with the same name gets " (2)", " (3)"...

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-02

"""
import unicodedata

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None

KEY_LENGTH = 480


def name_key(name):
    folded = unicodedata.normalize("NFKC", " ".join((name or "").split())).casefold()
    return unicodedata.normalize("NFKC", folded)


programme = sa.table('programme', sa.column('id', sa.Integer), sa.column('name', sa.String),
                     sa.column('name_key', sa.String))
organisation = sa.table('organisation', sa.column('id', sa.Integer), sa.column('name', sa.String),
                        sa.column('municipality', sa.String), sa.column('name_key', sa.String),
                        sa.column('municipality_key', sa.String))
person = sa.table('person', sa.column('organisation_id', sa.Integer))
staff_user = sa.table('staff_user', sa.column('organisation_id', sa.Integer))


def _key_programmes(connection):
    rows = connection.execute(sa.select(programme.c.id, programme.c.name).order_by(programme.c.id)).all()
    taken = {name_key(name) for _id, name in rows}
    seen = set()
    for programme_id, name in rows:
        key = name_key(name)
        if key in seen:
            n = 2
            while name_key(f"{name[:150]} ({n})") in taken:
                n += 1
            name = f"{name[:150]} ({n})"
            key = name_key(name)
            taken.add(key)
        seen.add(key)
        connection.execute(programme.update().where(programme.c.id == programme_id).values(name=name, name_key=key))


def _key_organisations(connection):
    rows = connection.execute(
        sa.select(organisation.c.id, organisation.c.name, organisation.c.municipality).order_by(organisation.c.id)
    ).all()
    kept = {}
    for organisation_id, name, municipality in rows:
        keys = (name_key(name), name_key(municipality))
        if keys in kept:
            oldest = kept[keys]
            for table in (person, staff_user):
                connection.execute(
                    table.update().where(table.c.organisation_id == organisation_id).values(organisation_id=oldest)
                )
            connection.execute(organisation.delete().where(organisation.c.id == organisation_id))
            continue
        kept[keys] = organisation_id
        connection.execute(organisation.update().where(organisation.c.id == organisation_id)
                           .values(name_key=keys[0], municipality_key=keys[1]))


def upgrade():
    with op.batch_alter_table('programme', schema=None) as batch_op:
        batch_op.add_column(sa.Column('name_key', sa.String(length=KEY_LENGTH), nullable=True))
    with op.batch_alter_table('organisation', schema=None) as batch_op:
        batch_op.add_column(sa.Column('name_key', sa.String(length=KEY_LENGTH), nullable=True))
        batch_op.add_column(sa.Column('municipality_key', sa.String(length=KEY_LENGTH), nullable=True))
    connection = op.get_bind()
    _key_programmes(connection)
    _key_organisations(connection)
    with op.batch_alter_table('programme', schema=None) as batch_op:
        batch_op.alter_column('name_key', existing_type=sa.String(length=KEY_LENGTH), nullable=False)
        batch_op.create_unique_constraint(batch_op.f('uq_programme_name_key'), ['name_key'])
    with op.batch_alter_table('organisation', schema=None) as batch_op:
        batch_op.alter_column('name_key', existing_type=sa.String(length=KEY_LENGTH), nullable=False)
        batch_op.alter_column('municipality_key', existing_type=sa.String(length=KEY_LENGTH), nullable=False)
        batch_op.create_unique_constraint(
            batch_op.f('uq_organisation_name_key_municipality_key'), ['name_key', 'municipality_key']
        )


def downgrade():
    with op.batch_alter_table('organisation', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_organisation_name_key_municipality_key'), type_='unique')
        batch_op.drop_column('municipality_key')
        batch_op.drop_column('name_key')
    with op.batch_alter_table('programme', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_programme_name_key'), type_='unique')
        batch_op.drop_column('name_key')
