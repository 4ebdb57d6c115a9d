"""The positioning clock moves onto the request: one row, written in the request's INSERT."""

from django.db import migrations, models
from django.db.models import OuterRef, Subquery

BATCH = 2000


def copy_clocks(apps, schema_editor):
    """Each clock onto its request: one UPDATE, whatever the number of requests."""
    Request = apps.get_model("requests", "Request")
    PositioningClock = apps.get_model("positioning", "PositioningClock")
    clock = PositioningClock.objects.filter(request=OuterRef("pk"))
    Request.objects.filter(positioning__isnull=False).update(
        positioning_deadline=Subquery(clock.values("deadline")[:1]),
        positioning_used_days=Subquery(clock.values("used_days")[:1]),
        positioning_paused=Subquery(clock.values("paused")[:1]),
        positioning_stopped=Subquery(clock.values("stopped")[:1]),
    )
    # A request without a clock was shown as positioned: it stays so.
    Request.objects.filter(positioning__isnull=True).update(
        positioning_deadline=None, positioning_stopped=True
    )


def restore_clocks(apps, schema_editor):
    """Backwards: one clock per request again, from its fields, in batches."""
    Request = apps.get_model("requests", "Request")
    PositioningClock = apps.get_model("positioning", "PositioningClock")
    rows = Request.objects.order_by("pk").values_list(
        "pk",
        "positioning_deadline",
        "positioning_used_days",
        "positioning_paused",
        "positioning_stopped",
    )
    clocks = []
    for pk, deadline, used, paused, stopped in rows.iterator(chunk_size=BATCH):
        clocks.append(
            PositioningClock(
                request_id=pk, deadline=deadline, used_days=used, paused=paused, stopped=stopped
            )
        )
        if len(clocks) == BATCH:
            PositioningClock.objects.bulk_create(clocks)
            clocks = []
    PositioningClock.objects.bulk_create(clocks)


class Migration(migrations.Migration):
    dependencies = [
        ("requests", "0004_positioning_deadline"),
        ("positioning", "0002_clocks_of_existing_requests"),
    ]

    operations = [
        migrations.AddField(
            model_name="request",
            name="positioning_used_days",
            field=models.PositiveSmallIntegerField(
                default=0, editable=False, verbose_name="working days used"
            ),
        ),
        migrations.AddField(
            model_name="request",
            name="positioning_paused",
            field=models.BooleanField(
                default=False, editable=False, verbose_name="positioning paused"
            ),
        ),
        migrations.AddField(
            model_name="request",
            name="positioning_stopped",
            field=models.BooleanField(default=False, editable=False, verbose_name="positioned"),
        ),
        migrations.RunPython(copy_clocks, restore_clocks),
    ]
