"""The inbox search: reference, title, description (the shared full-text index) and library.

Word by word, each word to be found as the start of a word of the request's own text
(PostgreSQL `french` vectors or SQLite FTS5, see g2id/suggestions/index.py) or in its
library's name or city; every word must be found. The exact reference finds its request
too. PostgreSQL ranks the matches by relevance; SQLite keeps the inbox's order (newest
first).

A search looks through the most recently filed requests that match, SEARCH_WINDOW at most
after the inbox's other filters: ranking or sorting every match would cost more each year,
and nobody reads past the first pages (refining the words or the filters goes further
back).
"""

from __future__ import annotations

from django.db.models.expressions import RawSQL

from g2id.requests.models import RequestQuerySet
from g2id.suggestions import index

# The ids a word finds, in the request's text or its library's name or city.
WORD_IDS = """
    SELECT id FROM (
        {in_text}
        UNION
        SELECT id FROM requests_request WHERE institution_id IN (
            SELECT id FROM institutions_institution
            WHERE UPPER(name) LIKE UPPER(%s) OR UPPER(city) LIKE UPPER(%s)
        )
    ) AS word_{number}
"""
# The most recent matches a search ranks and counts: one more than the inbox counts
# (views.COUNT_CAP), so that "more than 1,000" stays true.
SEARCH_WINDOW = 1001
# References are stored in capitals; the unique index answers it.
REFERENCE_ID = "SELECT id FROM requests_request WHERE reference = %s"


def search_requests(requests: RequestQuerySet, text: str) -> RequestQuerySet:
    text = text.strip()
    if not text:
        return requests
    words = index.inbox_words(text)
    # One list of ids, so that the database starts from the matches: an OR between
    # conditions on each row would make it read every request of the inbox. Read left to
    # right (SQLite) or INTERSECT first (PostgreSQL), it is the same set.
    parts, params = [], []
    for number, word in enumerate(words):
        in_text, text_params = index.ids_matching_word(word)
        # Words are letters and digits only: no LIKE wildcard to escape.
        parts.append(WORD_IDS.format(in_text=in_text, number=number))
        params += [*text_params, f"%{word}%", f"%{word}%"]
    found = " INTERSECT ".join(parts) + " UNION " + REFERENCE_ID
    params.append(text.upper())
    matching = requests.filter(pk__in=RawSQL(found, params))  # noqa: S611 - constant SQL
    window = matching.order_by("-id").values("pk")[:SEARCH_WINDOW]
    requests = requests.filter(pk__in=window)
    rank = index.relevance(words)
    if rank is None:
        return requests
    return requests.annotate(rank=rank).order_by("-rank", "-submitted_at")
