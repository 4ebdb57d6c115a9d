"""The Atom feed of new realisations: published case studies and reusable deliverables."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from g2id.lib.rich_text import render_markdown
from g2id.realisations.models import CaseStudy, Deliverable

FEED_SIZE = 30


@dataclass(frozen=True)
class Entry:
    title: str
    summary: str
    link: str
    published: datetime.datetime
    updated: datetime.datetime
    category: str


class RealisationsFeed(Feed):
    feed_type = Atom1Feed

    def title(self) -> str:
        return _("G2ID — new realisations")

    def subtitle(self) -> str:
        return _("Case studies and reusable deliverables of the intervention cells.")

    def link(self) -> str:
        return reverse("realisations:index")

    def feed_url(self) -> str:
        return reverse("realisations:feed")

    def items(self) -> list[Entry]:
        studies = [
            Entry(
                title=study.title,
                summary=render_markdown(study.body),
                link=study.get_absolute_url(),
                published=study.published_at,
                updated=study.updated_at,
                category=_("Case study"),
            )
            for study in CaseStudy.objects.published().order_by("-published_at")[:FEED_SIZE]
            if study.published_at is not None
        ]
        deliverables = [
            Entry(
                title=deliverable.title,
                summary=render_markdown(deliverable.how_to),
                link=deliverable.get_absolute_url(),
                published=deliverable.created_at,
                updated=deliverable.updated_at,
                category=deliverable.get_type_display(),
            )
            for deliverable in Deliverable.objects.public().order_by("-created_at")[:FEED_SIZE]
        ]
        entries = sorted(studies + deliverables, key=lambda entry: entry.published, reverse=True)
        return entries[:FEED_SIZE]

    def item_title(self, item: Entry) -> str:
        return item.title

    def item_description(self, item: Entry) -> str:
        return item.summary

    def item_link(self, item: Entry) -> str:
        return item.link

    def item_guid(self, item: Entry) -> str:
        return item.link

    def item_pubdate(self, item: Entry) -> datetime.datetime:
        return item.published

    def item_updateddate(self, item: Entry) -> datetime.datetime:
        return item.updated

    def item_categories(self, item: Entry) -> list[str]:
        return [item.category]
