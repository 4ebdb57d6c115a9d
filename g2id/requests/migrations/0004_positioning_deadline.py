"""A copy of the positioning deadline on each request, so the inbox sorts with an index."""

from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def copy_deadlines(apps, schema_editor):
    """Fill the copy from the clocks: one UPDATE, whatever the number of requests."""
    Request = apps.get_model("requests", "Request")
    PositioningClock = apps.get_model("positioning", "PositioningClock")
    Request.objects.filter(positioning__deadline__isnull=False).update(
        positioning_deadline=Subquery(
            PositioningClock.objects.filter(request=OuterRef("pk")).values("deadline")[:1]
        )
    )


class Migration(migrations.Migration):
    dependencies = [
        ("requests", "0003_effort_estimate"),
        ("positioning", "0002_clocks_of_existing_requests"),
    ]

    operations = [
        migrations.AddField(
            model_name="request",
            name="positioning_deadline",
            field=models.DateField(
                blank=True, editable=False, null=True, verbose_name="positioning deadline"
            ),
        ),
        # Backwards, the column goes away with its copies: nothing to undo.
        migrations.RunPython(copy_deadlines, migrations.RunPython.noop, elidable=True),
        migrations.AddIndex(
            model_name="request",
            index=models.Index(
                fields=["positioning_deadline", "-submitted_at", "-id"],
                name="request_urgent_first",
            ),
        ),
        migrations.AddIndex(
            model_name="request",
            index=models.Index(
                fields=["status", "positioning_deadline", "-submitted_at", "-id"],
                name="request_status_urgent_first",
            ),
        ),
    ]
