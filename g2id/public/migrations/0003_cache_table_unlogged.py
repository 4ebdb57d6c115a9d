from django.db import migrations


def unlogged(apps, schema_editor):
    # The cache holds nothing that cannot be rendered again: on PostgreSQL it need not go
    # through the write-ahead log, so renewing a page version commits without waiting for a
    # disk flush (a crash empties the table, which only costs a rendering per page).
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE IF EXISTS g2id_cache SET UNLOGGED")


def logged(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE IF EXISTS g2id_cache SET LOGGED")


class Migration(migrations.Migration):
    dependencies = [("public", "0002_rate_count")]

    operations = [migrations.RunPython(unlogged, logged)]
