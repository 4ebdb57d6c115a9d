from django.db import migrations

BATCH = 2000


def start_clocks(apps, schema_editor):
    """Requests filed before positioning existed get their clock from their history."""
    from g2id.positioning.delay import clock_from_history

    Request = apps.get_model("requests", "Request")
    PositioningClock = apps.get_model("positioning", "PositioningClock")
    pending = Request.objects.filter(positioning__isnull=True).order_by("pk")
    last_pk = 0
    while True:
        # Batches with their events prefetched: a few queries per thousand requests.
        batch = list(
            pending.filter(pk__gt=last_pk).select_related("cell").prefetch_related("events")[:BATCH]
        )
        if not batch:
            return
        clocks = []
        for request in batch:
            state = clock_from_history(
                request.events.all(), target_days=request.cell.positioning_target_days
            )
            clocks.append(
                PositioningClock(
                    request=request,
                    deadline=state.deadline,
                    used_days=state.used_days,
                    paused=state.paused,
                    stopped=state.stopped,
                )
            )
        PositioningClock.objects.bulk_create(clocks)
        last_pk = batch[-1].pk


class Migration(migrations.Migration):
    dependencies = [("positioning", "0001_initial")]

    operations = [migrations.RunPython(start_clocks, migrations.RunPython.noop)]
