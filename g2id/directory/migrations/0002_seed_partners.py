from django.db import migrations

from g2id.directory.csv_io import SEED_CSV, import_partners


def forwards(apps, schema_editor):
    with SEED_CSV.open(encoding="utf-8", newline="") as handle:
        import_partners(
            handle,
            partner_model=apps.get_model("directory", "Partner"),
            domain_model=apps.get_model("taxonomy", "Domain"),
        )


class Migration(migrations.Migration):
    dependencies = [("directory", "0001_initial"), ("taxonomy", "0002_load_domains")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
