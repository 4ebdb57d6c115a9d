"""The clocks live on their requests now (requests.0005 copied them there)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("positioning", "0002_clocks_of_existing_requests"),
        ("requests", "0005_positioning_clock"),
    ]

    operations = [migrations.DeleteModel(name="PositioningClock")]
