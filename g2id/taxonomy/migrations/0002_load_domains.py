from django.db import migrations

from g2id.taxonomy.loading import load_domains


def forwards(apps, schema_editor):
    load_domains(apps.get_model("taxonomy", "DomainFamily"), apps.get_model("taxonomy", "Domain"))


class Migration(migrations.Migration):
    dependencies = [("taxonomy", "0001_initial")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
