"""A room's parent must be in the same center and must not itself be a part.

A foreign key cannot compare two columns, so a trigger does it, on SQLite and PostgreSQL alike.
"""

from django.db import migrations

MESSAGE = "room parent must be an undivided room of the same center"

SQLITE_FORWARD = [
    f"""
    CREATE TRIGGER centers_room_parent_check_{op}
    BEFORE {op.upper()} ON centers_room
    WHEN NEW.parent_id IS NOT NULL AND (
        (SELECT center_id FROM centers_room WHERE id = NEW.parent_id) != NEW.center_id
        OR (SELECT parent_id FROM centers_room WHERE id = NEW.parent_id) IS NOT NULL
    )
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;
    """
    for op in ("insert", "update")
]
SQLITE_BACKWARD = [f"DROP TRIGGER IF EXISTS centers_room_parent_check_{op};" for op in ("insert", "update")]

POSTGRES_FORWARD = [
    f"""
    CREATE OR REPLACE FUNCTION centers_room_parent_check() RETURNS trigger AS $$
    BEGIN
        IF NEW.parent_id IS NOT NULL AND EXISTS (
            SELECT 1 FROM centers_room p
            WHERE p.id = NEW.parent_id
              AND (p.center_id <> NEW.center_id OR p.parent_id IS NOT NULL)
        ) THEN
            RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'check_violation';
        END IF;
        RETURN NEW;
    END;
    $$ LANGUAGE plpgsql;
    """,
    """
    CREATE TRIGGER centers_room_parent_check
    BEFORE INSERT OR UPDATE ON centers_room
    FOR EACH ROW EXECUTE FUNCTION centers_room_parent_check();
    """,
]
POSTGRES_BACKWARD = [
    "DROP TRIGGER IF EXISTS centers_room_parent_check ON centers_room;",
    "DROP FUNCTION IF EXISTS centers_room_parent_check();",
]


def forward(apps, schema_editor):
    statements = POSTGRES_FORWARD if schema_editor.connection.vendor == "postgresql" else SQLITE_FORWARD
    for sql in statements:
        schema_editor.execute(sql)


def backward(apps, schema_editor):
    statements = POSTGRES_BACKWARD if schema_editor.connection.vendor == "postgresql" else SQLITE_BACKWARD
    for sql in statements:
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("centers", "0002_initial")]
    operations = [migrations.RunPython(forward, backward, elidable=False)]
