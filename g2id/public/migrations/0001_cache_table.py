from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    # The shared page and rate-limit cache lives in the database unless CACHE_URL says
    # otherwise; creating it here means every database (tests included) has it.
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


def drop_cache_table(apps, schema_editor):
    schema_editor.execute("DROP TABLE IF EXISTS g2id_cache")


class Migration(migrations.Migration):
    dependencies = []

    operations = [migrations.RunPython(create_cache_table, drop_cache_table)]
