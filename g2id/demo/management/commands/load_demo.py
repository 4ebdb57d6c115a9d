"""`g2id load_demo`: seed the demo once (run by `make run` on every start), print the logins."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse

from g2id.demo.data import DEMO_PASSWORD
from g2id.demo.seed import DemoError, Summary, load_demo


class Command(BaseCommand):
    help = (
        "Load the French demo data (libraries, the national cell's members, requests in "
        "every state, the group's opinions and decisions, interventions with their sessions, "
        "timesheets, deliverables and surveys) unless it is already there, then "
        "print the demo logins."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            summary = load_demo()
        except DemoError as error:
            raise CommandError(str(error)) from error
        self._report(summary)

    def _report(self, summary: Summary) -> None:
        out = self.stdout
        if summary.created:
            out.write(self.style.SUCCESS("Demo data loaded."))
        else:
            out.write("Demo data already present: nothing changed.")
        statuses = ", ".join(f"{status} {count}" for status, count in summary.statuses.items())
        out.write(
            f"  {summary.libraries} libraries in {summary.regions} regions, "
            f"{summary.members} active members, {summary.requests} requests ({statuses}), "
            f"{summary.messages} messages and {summary.internal_notes} internal notes."
        )
        decisions = ", ".join(f"{outcome} {count}" for outcome, count in summary.decisions.items())
        out.write(
            f"  Positioning: {summary.opinions} members' opinions and "
            f"{summary.invited_opinions} invited one(s), {summary.recusals} recusal(s), "
            f"decisions ({decisions}; {summary.decisions_before_quorum} before the quorum), "
            f"{summary.referrals} referrals ({summary.referral_feedback} with the library's "
            f"feedback), {summary.interventions} interventions."
        )
        out.write(
            f"  Interventions: {summary.sessions} sessions ({summary.upcoming_sessions} "
            f"upcoming), {summary.tasks_done}/{summary.tasks} checklist tasks done, "
            f"{summary.time_entries} time entries ({summary.logged_hours} h over "
            f"{summary.timesheet_weeks} weeks), {summary.deliverables} deliverables "
            f"({summary.reusable_deliverables} reusable, {summary.versions} versions, "
            f"{summary.confirmed_reuses} confirmed reuses), {summary.transfer_records} "
            f"transfer records, {summary.answered_surveys} answered surveys, "
            f"{summary.case_studies} case studies ({summary.published_case_studies} "
            f"published), {summary.answered_impact_checks} answered impact check(s)."
        )
        if summary.created:
            out.write(
                f"  {summary.discarded_mails} demo e-mails were discarded instead of being "
                "sent to fictional addresses."
            )
        out.write("")
        out.write(f"Demo logins (password for all: {DEMO_PASSWORD})")
        width = max(len(login.username) for login in summary.logins)
        name_width = max(len(login.name) for login in summary.logins)
        out.write(f"  {'username'.ljust(width)}  {'name'.ljust(name_width)}  role")
        for login in summary.logins:
            out.write(
                f"  {login.username.ljust(width)}  {login.name.ljust(name_width)}  {login.role}"
            )
        base = settings.PUBLIC_BASE_URL
        out.write("")
        out.write(f"  Team inbox:   {base}{reverse('triage:inbox')}")
        out.write(f"  Django admin: {base}{reverse('admin:index')}")
        for label, url in summary.tracking_urls:
            out.write(f"  Library tracking page of {label}: {url}")
