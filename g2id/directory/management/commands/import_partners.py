"""`g2id import_partners <file.csv>`: create or update partner structures from a CSV file."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from g2id.directory.csv_io import COLUMNS, PartnerFileError, import_partners
from g2id.directory.models import Partner
from g2id.taxonomy.models import Domain


class Command(BaseCommand):
    help = (
        f"Create or update partner structures from a CSV file with the columns "
        f"{','.join(COLUMNS)} (and optionally region), matched on (code, region). "
        "A regional row without a region is created in every region. "
        "If any line is bad, nothing is imported and each bad line is reported."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="Path of the CSV file (UTF-8).")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            with open(options["file"], encoding="utf-8-sig", newline="") as handle:
                result = import_partners(handle, partner_model=Partner, domain_model=Domain)
        except OSError as error:
            raise CommandError(f"Cannot read {options['file']}: {error.strerror}.") from error
        except UnicodeDecodeError as error:
            raise CommandError(f"{options['file']} is not UTF-8 text.") from error
        except PartnerFileError as error:
            raise CommandError(
                "Nothing was imported; fix these lines and try again:\n" + str(error)
            ) from error
        self.stdout.write(
            f"{result.created} created, {result.updated} updated, {result.unchanged} unchanged."
        )
