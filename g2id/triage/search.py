"""Search over requests: PostgreSQL full-text search in French, a plain fallback elsewhere."""

from __future__ import annotations

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import Q

from g2id.requests.models import RequestQuerySet

SEARCH_VECTOR = (
    SearchVector("reference", weight="A", config="french")
    + SearchVector("title", weight="A", config="french")
    + SearchVector("institution__name", weight="B", config="french")
    + SearchVector("institution__city", weight="C", config="french")
    + SearchVector("description", weight="D", config="french")
)


def search_requests(requests: RequestQuerySet, text: str) -> RequestQuerySet:
    text = text.strip()
    if not text:
        return requests
    exact_reference = Q(reference__iexact=text)
    if connection.vendor == "postgresql":
        query = SearchQuery(text, config="french", search_type="websearch")
        # Match with @@, then rank: ts_rank is never exactly 0, even for non-matching rows.
        return (
            requests.annotate(document=SEARCH_VECTOR, rank=SearchRank(SEARCH_VECTOR, query))
            .filter(Q(document=query) | exact_reference)
            .order_by("-rank", "-submitted_at")
        )
    matches = Q()
    for word in text.split()[:8]:
        matches &= (
            Q(reference__icontains=word)
            | Q(title__icontains=word)
            | Q(description__icontains=word)
            | Q(institution__name__icontains=word)
            | Q(institution__city__icontains=word)
        )
    return requests.filter(matches | exact_reference)
