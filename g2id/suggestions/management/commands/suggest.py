"""`g2id suggest <reference> [--json]`: the suggestions of the request page, for scripts."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from g2id.requests.models import Request
from g2id.suggestions.services import suggest


class Command(BaseCommand):
    help = (
        "Suggest members, partners and similar past requests for one request, best first; "
        "--json gives the API's shape."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("reference", help="the request's reference, e.g. G2ID-2026-0042")
        parser.add_argument("--json", action="store_true", help="print JSON instead of text")

    def handle(self, *args: Any, **options: Any) -> None:
        filed = (
            Request.objects.select_related("institution", "cell")
            .filter(reference__iexact=options["reference"].strip())
            .first()
        )
        if filed is None:
            raise CommandError(
                _("No request has the reference %(reference)s.")
                % {"reference": options["reference"]}
            )
        suggestions = suggest(filed)
        if options["json"]:
            self.stdout.write(json.dumps(suggestions.as_json(), ensure_ascii=False, indent=2))
            return
        self.stdout.write(f"{filed.reference} — {filed.title}")
        self.stdout.write("\n" + _("Members"))
        for member in suggestions.members:
            self.stdout.write(f"  {member.score:.2f}  {member.name} ({member.username})")
            for reason in member.reasons:
                self.stdout.write(f"        · {reason}")
        self.stdout.write("\n" + _("Partners"))
        for partner in suggestions.partners:
            self.stdout.write(f"  {partner.score:.2f}  {partner.name} [{partner.code}]")
            for reason in partner.reasons:
                self.stdout.write(f"        · {reason}")
        self.stdout.write("\n" + _("Similar past requests"))
        for similar in suggestions.similar:
            self.stdout.write(
                f"  {similar.score:.2f}  {similar.reference} — {similar.title} "
                f"({similar.outcome_label})"
            )
        if not (suggestions.members or suggestions.partners or suggestions.similar):
            self.stdout.write(_("Nothing to suggest for this request."))
