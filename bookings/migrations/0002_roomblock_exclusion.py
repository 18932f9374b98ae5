"""PostgreSQL refuses two confirmed bookings of one room unit at overlapping times.

RoomBlock rows exist only for confirmed occurrences, one per room unit (a divisible room's
whole blocks every part too), over the buffered range. `[)` ranges: touching bookings are fine.
SQLite has no exclusion constraints; there, writers are serialized (BEGIN IMMEDIATE) and the
service re-checks inside the transaction.
"""

from django.db import migrations

FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS btree_gist;",
    """
    ALTER TABLE bookings_roomblock ADD CONSTRAINT bookings_roomblock_no_overlap
    EXCLUDE USING gist (room_id WITH =, tstzrange(starts_at, ends_at, '[)') WITH &&);
    """,
]
BACKWARD = ["ALTER TABLE bookings_roomblock DROP CONSTRAINT IF EXISTS bookings_roomblock_no_overlap;"]


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in FORWARD:
            schema_editor.execute(sql)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in BACKWARD:
            schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("bookings", "0001_initial")]
    operations = [migrations.RunPython(forward, backward, elidable=False)]
