from django.db import migrations


def forwards(apps, schema_editor):
    Cell = apps.get_model("team", "Cell")
    Cell.objects.get_or_create(
        slug="informatique-documentaire",
        defaults={
            "name": "Informatique documentaire",
            "speciality": "Informatique documentaire (SIGB, données, portails, scripts)",
            "region": "",
        },
    )


class Migration(migrations.Migration):
    dependencies = [("team", "0001_initial")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
