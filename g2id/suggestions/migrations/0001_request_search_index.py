"""The full-text index over requests (see g2id/suggestions/index.py for the design).

RunPython rather than RunSQL: each database gets its own SQL, and that SQL lives in
index.py, where the repair run after every `migrate` on SQLite uses it too.
"""

from django.db import migrations


def install(apps, schema_editor):
    from g2id.suggestions import index

    index.install(schema_editor.connection)


def uninstall(apps, schema_editor):
    from g2id.suggestions import index

    index.uninstall(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [
        ("requests", "0002_transfer_events"),
    ]

    operations = [
        migrations.RunPython(install, uninstall, elidable=False),
    ]
