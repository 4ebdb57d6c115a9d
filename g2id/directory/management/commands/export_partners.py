"""`g2id export_partners`: write every partner structure as CSV to the standard output."""

from __future__ import annotations

import io
from typing import Any

from django.core.management.base import BaseCommand

from g2id.directory.csv_io import export_partners
from g2id.directory.models import Partner


class Command(BaseCommand):
    help = (
        "Write every partner structure as CSV (the import columns plus region) to the "
        "standard output; `g2id import_partners` reads it back unchanged."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        buffer = io.StringIO()
        export_partners(
            Partner.objects.prefetch_related("specialities").order_by("code", "region"), buffer
        )
        self.stdout.write(buffer.getvalue(), ending="")
