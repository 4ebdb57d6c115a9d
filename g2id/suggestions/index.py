"""The full-text index over requests, shared by the inbox search and the similar requests.

It holds each request's own text: reference and title (weight A), description (weight B).
The library's name and city are not in it: they live in another table, and the inbox
matches them there (a few thousand rows, a plain scan).

PostgreSQL: a `search_document` tsvector column (configuration `french`) with a GIN index,
kept by a BEFORE INSERT/UPDATE trigger. A trigger rather than a generated column because
PostgreSQL refuses to change the type of a column that a generated column reads, so the
next `AlterField` on the title would fail; and rather than Django's save path because
bulk inserts, `update()` and SQL written by hand never go through it. The column is not a
model field: SQLite would carry it empty for nothing.

SQLite: an FTS5 table `suggestions_request_index` (tokeniser `unicode61 remove_diacritics
2`, so « médiathèque » and « mediatheque » are one word), whose rowid is the request's id,
kept by AFTER INSERT/UPDATE/DELETE triggers on the requests table. It keeps
its own copy of the text rather than being an "external content" table: with external
content, a delete must hand back exactly the old values or the index silently goes wrong,
while a copy is deleted by rowid, and `rebuild` is a plain INSERT … SELECT. The triggers
sit on the requests table only (a trigger elsewhere naming that table would make SQLite
refuse the rename at the end of Django's table rebuild). That rebuild, which Django runs
for some `AddField`/`AlterField` on SQLite, drops the triggers with the old table: after
every `migrate`, `repair_sqlite_index` puts back missing triggers and, when it had to,
rebuilds the index from the table.

Ranking: see `similar_request_ids` (why not bm25) and g2id/triage/search.py.
"""

from __future__ import annotations

from typing import Any

from django.db import connection as default_connection
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import FloatField
from django.db.models.expressions import RawSQL

from g2id.suggestions import text

SQLITE_INDEX = "suggestions_request_index"
REQUESTS_TABLE = "requests_request"

POSTGRESQL_INSTALL = [
    "ALTER TABLE requests_request ADD COLUMN search_document tsvector",
    """
    CREATE FUNCTION suggestions_request_document(reference text, title text, description text)
    RETURNS tsvector LANGUAGE sql IMMUTABLE AS $$
        SELECT setweight(to_tsvector('french', coalesce(reference, '') || ' '
                                     || coalesce(title, '')), 'A')
            || setweight(to_tsvector('french', coalesce(description, '')), 'B')
    $$
    """,
    """
    CREATE FUNCTION suggestions_request_document_trigger() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        NEW.search_document :=
            suggestions_request_document(NEW.reference, NEW.title, NEW.description);
        RETURN NEW;
    END
    $$
    """,
    """
    CREATE TRIGGER suggestions_request_document
    BEFORE INSERT OR UPDATE OF reference, title, description ON requests_request
    FOR EACH ROW EXECUTE FUNCTION suggestions_request_document_trigger()
    """,
    """
    UPDATE requests_request
    SET search_document = suggestions_request_document(reference, title, description)
    """,
    """
    CREATE INDEX suggestions_request_document_gin ON requests_request
    USING gin (search_document)
    """,
]
POSTGRESQL_UNINSTALL = [
    "DROP TRIGGER IF EXISTS suggestions_request_document ON requests_request",
    "DROP FUNCTION IF EXISTS suggestions_request_document_trigger()",
    "DROP FUNCTION IF EXISTS suggestions_request_document(text, text, text)",
    "ALTER TABLE requests_request DROP COLUMN IF EXISTS search_document",
]

SQLITE_TABLE = """
    CREATE VIRTUAL TABLE IF NOT EXISTS suggestions_request_index USING fts5(
        reference, title, description, tokenize = 'unicode61 remove_diacritics 2'
    )
"""
SQLITE_TRIGGERS = {
    "suggestions_request_index_insert": """
        CREATE TRIGGER suggestions_request_index_insert AFTER INSERT ON requests_request
        BEGIN
            INSERT INTO suggestions_request_index (rowid, reference, title, description)
            VALUES (new.id, new.reference, new.title, new.description);
        END
    """,
    # Django's save() writes every column: only a change of the text touches the index.
    "suggestions_request_index_update": """
        CREATE TRIGGER suggestions_request_index_update
        AFTER UPDATE OF id, reference, title, description ON requests_request
        WHEN old.id IS NOT new.id OR old.reference IS NOT new.reference
             OR old.title IS NOT new.title OR old.description IS NOT new.description
        BEGIN
            DELETE FROM suggestions_request_index WHERE rowid = old.id;
            INSERT INTO suggestions_request_index (rowid, reference, title, description)
            VALUES (new.id, new.reference, new.title, new.description);
        END
    """,
    "suggestions_request_index_delete": """
        CREATE TRIGGER suggestions_request_index_delete AFTER DELETE ON requests_request
        BEGIN
            DELETE FROM suggestions_request_index WHERE rowid = old.id;
        END
    """,
}
SQLITE_REBUILD = [
    "DELETE FROM suggestions_request_index",
    """
    INSERT INTO suggestions_request_index (rowid, reference, title, description)
    SELECT id, reference, title, description FROM requests_request
    """,
]
SQLITE_UNINSTALL = [
    *(f"DROP TRIGGER IF EXISTS {name}" for name in SQLITE_TRIGGERS),
    "DROP TABLE IF EXISTS suggestions_request_index",
]

# Similar requests: how many salient words are looked for, how many recent candidates
# the database ranks, and how many of the best it hands back to be re-scored.
QUERY_WORDS = 8
TITLE_WEIGHT = 2
RANKED_CANDIDATES = 500
SIMILAR_CANDIDATES = 20


def install(connection: BaseDatabaseWrapper) -> None:
    """Create the index for this database and fill it from the existing requests."""
    if connection.vendor == "postgresql":
        _execute(connection, POSTGRESQL_INSTALL)
    elif connection.vendor == "sqlite":
        ensure_sqlite_index(connection, rebuild=True)


def uninstall(connection: BaseDatabaseWrapper) -> None:
    if connection.vendor == "postgresql":
        _execute(connection, POSTGRESQL_UNINSTALL)
    elif connection.vendor == "sqlite":
        _execute(connection, SQLITE_UNINSTALL)


def repair_sqlite_index(connection: BaseDatabaseWrapper) -> None:
    """Put back the SQLite index's missing triggers, if the index is installed at all."""
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        installed = SQLITE_INDEX in connection.introspection.table_names(cursor)
    if installed:
        ensure_sqlite_index(connection)


def ensure_sqlite_index(connection: BaseDatabaseWrapper, *, rebuild: bool = False) -> None:
    """Create what is missing of the SQLite index; rebuild it when triggers were missing."""
    with connection.cursor() as cursor:
        cursor.execute(SQLITE_TABLE)
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s",
            [REQUESTS_TABLE],
        )
        present = {name for (name,) in cursor.fetchall()}
        missing = [sql for name, sql in SQLITE_TRIGGERS.items() if name not in present]
        for sql in missing:
            cursor.execute(sql)
    if rebuild or missing:
        _execute(connection, SQLITE_REBUILD)


def _execute(connection: BaseDatabaseWrapper, statements: list[str]) -> None:
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


# --- Queries ------------------------------------------------------------------------------


def ids_matching_word(word: str) -> tuple[str, list[str]]:
    """SQL and parameters selecting the ids of the requests whose own text has a word
    starting like `word`; the index answers it, never a scan of the requests."""
    if default_connection.vendor == "postgresql":
        # A word the `french` configuration drops (a stop word) gives an empty query,
        # which matches nothing: it is ignored instead, as websearch_to_tsquery does. With
        # the word written into the query, PostgreSQL folds that test before planning.
        return (
            "SELECT id FROM requests_request WHERE numnode(to_tsquery('french', %s)) = 0 "
            "OR search_document @@ to_tsquery('french', %s)",
            [f"{word}:*", f"{word}:*"],
        )
    return (
        "SELECT rowid AS id FROM suggestions_request_index "
        "WHERE suggestions_request_index MATCH %s",
        [f'"{word}"*'],
    )


def relevance(words: list[str]) -> RawSQL | None:
    """How well each request's own text matches any of `words`, where the database can
    rank cheaply (PostgreSQL, from the stored vector); None elsewhere."""
    if default_connection.vendor != "postgresql" or not words:
        return None
    return RawSQL(
        "ts_rank(requests_request.search_document, to_tsquery('french', %s))",
        [" | ".join(f"{word}:*" for word in words)],
        output_field=FloatField(),
    )


POSTGRESQL_SIMILAR = """
    WITH candidates AS (
        SELECT id, search_document AS document
        FROM requests_request
        WHERE search_document @@ to_tsquery('french', %s) AND id <> %s
        ORDER BY id DESC
        LIMIT %s
    )
    SELECT id FROM candidates
    ORDER BY ts_rank(document, to_tsquery('french', %s), 1) DESC, id DESC
    LIMIT %s
"""
# One branch per word and column (title, then description), each branch's matches
# weighing its weight; the window is the oldest of the most recent candidates.
SQLITE_SHARED_WORD = """
    SELECT rowid AS id, %s AS weight FROM suggestions_request_index
    WHERE suggestions_request_index MATCH %s AND rowid >= (SELECT oldest FROM window)
"""
SQLITE_SIMILAR = """
    WITH window(oldest) AS (
        SELECT coalesce((
            SELECT rowid FROM suggestions_request_index
            WHERE suggestions_request_index MATCH %s ORDER BY rowid DESC LIMIT 1 OFFSET %s
        ), 0)
    )
    SELECT id FROM ({shared}) WHERE id <> %s
    GROUP BY id ORDER BY sum(weight) DESC, id DESC
    LIMIT %s
"""


def similar_request_ids(words: list[str], *, exclude: int) -> list[int]:
    """Ids of the requests whose title or description share most of `words`, best first.

    Any shared word makes a candidate; only the `RANKED_CANDIDATES` most recent candidates
    are ranked. Both databases find those by walking the index in id order and stopping
    there, so the time stays flat however many requests share a common word ("Koha" is in
    thousands). PostgreSQL ranks them with ts_rank (titles weigh more); SQLite by the
    number of words shared, a title's counting double: FTS5's bm25 would first count, for
    its word rarity, every request holding each word, which is what must not grow.
    """
    words = words[:QUERY_WORDS]
    if not words:
        return []
    params: list[Any]
    if default_connection.vendor == "postgresql":
        tsquery = " | ".join(f"{word}:AB" for word in words)
        query = POSTGRESQL_SIMILAR
        params = [tsquery, exclude, RANKED_CANDIDATES, tsquery, SIMILAR_CANDIDATES]
    else:
        any_word = " OR ".join(f'"{word}"' for word in words)
        params = [f"{{title description}} : ({any_word})", RANKED_CANDIDATES]
        for word in words:
            params += [TITLE_WEIGHT, f'{{title}} : "{word}"', 1, f'{{description}} : "{word}"']
        params += [exclude, SIMILAR_CANDIDATES]
        shared = " UNION ALL ".join([SQLITE_SHARED_WORD] * 2 * len(words))
        query = SQLITE_SIMILAR.format(shared=shared)
    with default_connection.cursor() as cursor:
        cursor.execute(query, params)
        return [pk for (pk,) in cursor.fetchall()]


def inbox_words(search: str) -> list[str]:
    """The words of an inbox search worth matching: French stop words dropped if others
    remain, at most eight."""
    written = text.words(search)
    meaningful = [word for word in written if text.fold(word) not in text.FRENCH_STOP_WORDS]
    return (meaningful or written)[:8]
