"""The shared page cache of the public pages, invalidated by a content version.

Anonymous visitors get the public pages (home, team, vade-mecum, partners, public
calendars) from the cache that every worker and host shares (`CACHES["default"]`: the
database cache, or Redis with `CACHE_URL`). Each stored page carries the content version
it was rendered under; any change to what these pages show (cells, memberships, public
profiles, skills, domains, partners, agenda events, home institutions) stores a new
version, so that every page rendered before it is ignored from then on. One cache read
(`get_many` of the version and the page) answers a hit.

A page is stored only when it is safe for everybody: rendered for an anonymous visitor,
without messages, without a CSRF token (base.html leaves its htmx CSRF header out of
cached pages), without a cookie or a session change, with status 200. The Content
Security Policy header is added by its middleware on every answer, cached or not; the
cached pages use no nonce (script-src is 'self').

The team's busiest pages (the inbox, a request's page, a cell's dashboard) and a library's
tracking page go through the same cache, one copy per member (or per tracking link), under
a second version that any change to G2ID's data renews once per committed transaction. Their
forms carry a placeholder instead of the CSRF token, replaced on each answer by the visitor's
own token, so that one stored copy serves every session of the member.
"""

from __future__ import annotations

import base64
import datetime
import hashlib
import pickle
import threading
import uuid
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import wraps
from typing import Any, TypeVar, cast

from django.apps import AppConfig, apps
from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import cache, caches
from django.core.cache.backends.db import DatabaseCache
from django.db import connections, router, transaction
from django.db.models import Model
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.utils import timezone, translation

from g2id.public.version_feed import CHANNEL, announcement, announcing_alias, version_feed

# Its number changes with the way copies are stored (their placeholders): during a deployment,
# the processes of two releases never serve each other's copies.
PAGE_KEY_PREFIX = "g2id:page:2"
# Pages also depend on the day (active memberships, busy/free weeks): the day is part of
# the key; the timeout only bounds what a forgotten entry costs.
PAGE_TIMEOUT = 6 * 3600
# A team page may show a time of day (an invitation's expiry): it is kept a few minutes only.
TEAM_PAGE_TIMEOUT = 5 * 60
# Where a connection notes what its current transaction did with the versions.
MARKS = "g2id_page_versions"
# Pages each process keeps in memory, checked against the shared version on every read.
RECENT_COPIES = 200
# Stands for the visitor's CSRF token in a stored page (fresh_csrf_placeholder).
CSRF_PLACEHOLDER = "g2id-fresh-csrf-token"
# The models whose rows the public pages show; a save or delete of any of them, or a
# change of their many-to-many relations, invalidates every cached page.
SHOWN_MODELS = (
    "accounts.User",
    "agenda.Event",
    "directory.Partner",
    "institutions.Institution",
    "interventions.ImpactCheck",
    "realisations.CaseStudy",
    "realisations.Deliverable",
    "realisations.DeliverableVersion",
    "realisations.Reuse",
    "taxonomy.Domain",
    "taxonomy.DomainFamily",
    "team.Cell",
    "team.Membership",
    "team.Skill",
)
# Saves of a user that change nothing a public page shows.
PRIVATE_USER_FIELDS = frozenset({"last_login", "password", "calendar_token"})

# Rows no cached page shows: saving them keeps the team's pages.
NOT_SHOWN_TO_TEAM = frozenset(
    {"accounts.ApiToken", "notifications.OutgoingMail", "public.RateCount", "scheduling.JobRun"}
)

View = Callable[..., HttpResponse]
T = TypeVar("T")


class PageVersion:
    """The version the pages of one kind are rendered under; renewing it drops them all."""

    def __init__(self, key: str) -> None:
        self.key = key

    def current(self) -> str:
        """The current version (a new one is stored, and announced, when there is none)."""
        version = cache.get(self.key)
        if version is None:
            added = cache.add(self.key, uuid.uuid4().hex, None)
            version = cache.get(self.key)
            if added:
                _announce(self.key, version)
        return str(version)

    def bump(self) -> None:
        """Drop every page of this kind once the change is visible, whatever reads it.

        With the database cache on SQLite, the new version is written in the transaction
        itself and becomes visible with the change: once per transaction (again if a page was
        read through this connection meanwhile, or if the savepoint it was written in has
        ended). Elsewhere (Redis, files, PostgreSQL) it is renewed once at the commit, which
        drops what other requests rendered from the old rows meanwhile, and at once only if
        this connection has read a page of this kind in the transaction.
        """
        connection = transaction.get_connection()
        if not connection.in_atomic_block:
            self.renew()
            return
        marks = _marks(connection)
        if _cache_commits_with(connection):
            savepoints = frozenset(connection.savepoint_ids)
            written = marks.renewed.get(self.key)
            if written is None or not written <= savepoints:
                self.renew()
                marks.renewed[self.key] = savepoints
            return
        if self.key in marks.read:
            self.renew()
            marks.read.discard(self.key)
        if not any(hook == self.renew for _ids, hook, _robust in connection.run_on_commit):
            transaction.on_commit(self.renew)

    def renew(self) -> None:
        version = uuid.uuid4().hex
        if not _overwrite_in_database_cache(self.key, version):
            cache.set(self.key, version, None)
            _announce(self.key, version)
        if not transaction.get_connection().in_atomic_block:
            # Committed: this process need not wait for its own announcement.
            version_feed.hear(self.key, version)

    def read(self, key: str) -> tuple[str, Any]:
        """The current version and what `key` holds if it was stored under it (one cache read).

        A copy this process read or stored already is answered from memory once the shared
        version says it is still current: the read is then the version's small row only, or
        nothing when PostgreSQL announced the version (g2id/public/version_feed.py). Inside a
        transaction the version is read from the cache: it may be this transaction's own.
        """
        connection = transaction.get_connection()
        if connection.in_atomic_block:
            marks = _marks(connection)
            marks.read.add(self.key)
            marks.renewed.pop(self.key, None)
            return self._read_with_version(key)
        version = version_feed.version(self.key)
        if version is None:
            mark = version_feed.mark()
            version, value = self._read_with_version(key)
            version_feed.remember(self.key, version, mark)
            return version, value
        stored = recent_copies.get(key)
        if stored is None or stored[0] != version:
            stored = cache.get(key)
            if stored is None or stored[0] != version:
                return version, None
            recent_copies.put(key, stored)
        return version, stored[1]

    def _read_with_version(self, key: str) -> tuple[str, Any]:
        recent = recent_copies.get(key)
        if recent is not None:
            version = cache.get(self.key)
            if version == recent[0]:
                return version, recent[1]
        found = cache.get_many([self.key, key])
        version = found.get(self.key) or self.current()
        stored = found.get(key)
        if stored is None or stored[0] != version:
            return version, None
        recent_copies.put(key, stored)
        return version, stored[1]

    def store(self, key: str, version: str, value: Any, timeout: int) -> None:
        cache.set(key, (version, value), timeout)
        recent_copies.put(key, (version, value))

    def remembered(self, key: str, compute: Callable[[], T], timeout: int) -> T:
        """`compute()`, kept under `key` until this version is renewed."""
        version, value = self.read(key)
        if value is None:
            value = compute()
            self.store(key, version, value, timeout)
        return cast(T, value)


class RecentCopies:
    """The last pages this process read or stored, with their version (a bounded LRU)."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.copies: OrderedDict[str, tuple[str, Any]] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: str) -> tuple[str, Any] | None:
        with self.lock:
            found = self.copies.get(key)
            if found is not None:
                self.copies.move_to_end(key)
            return found

    def put(self, key: str, stored: tuple[str, Any]) -> None:
        with self.lock:
            self.copies[key] = stored
            self.copies.move_to_end(key)
            while len(self.copies) > self.size:
                self.copies.popitem(last=False)

    def clear(self) -> None:
        with self.lock:
            self.copies.clear()


recent_copies = RecentCopies(RECENT_COPIES)

PUBLIC_PAGES = PageVersion("g2id:pages:version")
TEAM_PAGES = PageVersion("g2id:team-pages:version")


@dataclass
class TransactionMarks:
    """What a connection's current transaction did with the versions (see PageVersion.bump)."""

    outermost: Any  # the transaction's outermost atomic block
    read: set[str] = field(default_factory=set)  # versions read since their last renewal
    renewed: dict[str, frozenset[str]] = field(default_factory=dict)  # → savepoints then open


def _marks(connection: Any) -> TransactionMarks:
    outermost = connection.atomic_blocks[0]
    marks = connection.__dict__.get(MARKS)
    if marks is None or marks.outermost is not outermost:
        marks = TransactionMarks(outermost)
        connection.__dict__[MARKS] = marks
    return cast(TransactionMarks, marks)


def _cache_commits_with(connection: Any) -> bool:
    """Whether the cache is a table of this SQLite database (writes commit together)."""
    shared = caches["default"]
    return (
        connection.vendor == "sqlite"
        and isinstance(shared, DatabaseCache)
        and router.db_for_write(shared.cache_model_class) == connection.alias
    )


def _overwrite_in_database_cache(key: str, value: object) -> bool:
    """Replace a value kept forever in the database cache with one UPDATE; False if absent.

    DatabaseCache.set counts the table, then reads and writes the row in a transaction of
    its own: five statements where one does, on every change to G2ID's data. The row is
    written as the backend writes it (base64 of the pickle), so cache.get reads it back.
    """
    shared = caches["default"]
    if not isinstance(shared, DatabaseCache):
        return False
    connection = connections[router.db_for_write(shared.cache_model_class)]
    quote_name = connection.ops.quote_name
    pickled = base64.b64encode(pickle.dumps(value, shared.pickle_protocol)).decode("latin1")
    forever = connection.ops.adapt_datetimefield_value(datetime.datetime.max.replace(microsecond=0))
    table = quote_name(shared.cache_model_class._meta.db_table)
    update = (
        f"UPDATE {table} SET {quote_name('value')} = %s, "  # noqa: S608
        f"{quote_name('expires')} = %s WHERE {quote_name('cache_key')} = %s"
    )
    parameters = [pickled, forever, shared.make_and_validate_key(key)]
    if announcing_alias() == connection.alias:  # announced by the same statement
        update = f"WITH renewed AS ({update} RETURNING 1) SELECT pg_notify(%s, %s) FROM renewed"  # noqa: S608
        parameters += [CHANNEL, announcement(key, value)]
    with connection.cursor() as cursor:
        cursor.execute(update, parameters)
        return cursor.rowcount == 1


def _announce(key: str, version: object) -> None:
    """Tell the processes that listen (version_feed) that `key` is now `version`."""
    alias = announcing_alias()
    if alias is not None:
        with connections[alias].cursor() as cursor:
            cursor.execute("SELECT pg_notify(%s, %s)", [CHANNEL, announcement(key, version)])


def _key(audience: str, kind: str, name: str) -> str:
    """A copy's key: for whom, in which language, on which day, what."""
    return ":".join(
        (
            PAGE_KEY_PREFIX,
            audience,
            translation.get_language() or "",
            timezone.localdate().isoformat(),
            kind,
            hashlib.sha256(name.encode()).hexdigest(),
        )
    )


def _page_key(request: HttpRequest, audience: str) -> str:
    kind = "htmx" if request.headers.get("HX-Request") else "page"
    return _key(audience, kind, request.get_full_path())


def _audience(user: Any) -> str:
    return f"user-{user.pk}" if user.is_authenticated else "anonymous"


def _no_message_waiting(request: HttpRequest) -> bool:
    return len(get_messages(request)) == 0  # `len` does not consume them


def _may_use_cache(request: HttpRequest) -> bool:
    """An anonymous GET with no message waiting."""
    return (
        request.method == "GET"
        and not request.user.is_authenticated
        and _no_message_waiting(request)
    )


def _may_store(request: HttpRequest, response: HttpResponse) -> bool:
    session = getattr(request, "session", None)
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and "private" not in response.get("Cache-Control", "")
        and "no-store" not in response.get("Cache-Control", "")
        # A page that rendered a CSRF token is the visitor's own.
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and not (session is not None and session.modified)
    )


def _lookup(
    request: HttpRequest, pages: PageVersion, audience: str
) -> tuple[str, str, HttpResponse | None]:
    """The page key, the current version and the stored page if it is of that version."""
    key = _page_key(request, audience)
    version, stored = pages.read(key)
    if stored is None:
        return key, version, None
    status, headers, content = stored
    response = HttpResponse(content, status=status)
    for name, value in headers:
        response[name] = value
    return key, version, response


def _store(
    pages: PageVersion,
    key: str,
    version: str,
    response: HttpResponse,
    timeout: int = PAGE_TIMEOUT,
) -> None:
    headers = list(response.items())
    pages.store(key, version, (response.status_code, headers, response.content), timeout)


def cached_page(view: View) -> View:
    """Serve and store the anonymous GETs of `view` through the shared page cache."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not _may_use_cache(request):
            return view(request, *args, **kwargs)
        key, version, response = _lookup(request, PUBLIC_PAGES, "anonymous")
        if response is not None:
            return response
        # Tells base.html to leave the visitor's CSRF token out of the page.
        request.cached_page = True  # type: ignore[attr-defined]
        response = view(request, *args, **kwargs)
        if _may_store(request, response):
            _store(PUBLIC_PAGES, key, version, response)
        return response

    return wrapper


def cached_page_with_fresh_values(
    request: HttpRequest,
    render: Callable[[Mapping[str, str]], HttpResponse],
    fresh: Mapping[str, Callable[[], str]],
) -> HttpResponse:
    """A page that is the same for every anonymous visitor but for a few values of their own.

    `render(values)` renders the page with `values`, one per name of `fresh` (a form's
    submission key). The shared copy is rendered with placeholders instead, the CSRF token's
    included (as for the team pages), and each answer gets its own values: the request form
    costs a cache read and a few replacements instead of rendering a hundred widgets.
    """
    if not _may_use_cache(request):
        return render({name: make() for name, make in fresh.items()})
    placeholders = {name: f"g2id-fresh-{name}" for name in fresh}
    key, version, response = _lookup(request, PUBLIC_PAGES, "anonymous")
    if response is None:
        request.cached_page = True  # type: ignore[attr-defined]
        response = _rendered_for_storage(request, lambda: render(placeholders))
        if not _may_store(request, response):
            request.cached_page = False  # type: ignore[attr-defined]
            return render({name: make() for name, make in fresh.items()})
        _store(PUBLIC_PAGES, key, version, response)
    content = response.content
    for name, make in fresh.items():
        content = content.replace(placeholders[name].encode(), make().encode())
    response.content = content
    return _with_visitor_token(request, response)


def cached_team_page(view: View) -> View:
    """Serve and store the GETs of `view` per visitor, under the team pages' version.

    For views whose answer depends only on the visitor, the URL, the language, the day and
    G2ID's data: login_required and the object's authorisation run in the view, before the
    page is first stored for that visitor.
    """

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not (
            settings.G2ID_TEAM_PAGE_CACHE
            and request.method == "GET"
            and _no_message_waiting(request)
        ):
            return view(request, *args, **kwargs)
        key, version, response = _lookup(request, TEAM_PAGES, _audience(request.user))
        if response is None:
            response = _rendered_for_storage(request, lambda: view(request, *args, **kwargs))
            if _may_store(request, response):
                _store(TEAM_PAGES, key, version, response, TEAM_PAGE_TIMEOUT)
        return _with_visitor_token(request, response)

    return wrapper


def _rendered_for_storage(request: HttpRequest, render: Callable[[], HttpResponse]) -> HttpResponse:
    """`render()` with CSRF_PLACEHOLDER as the page's CSRF token (fresh_csrf_placeholder reads
    the flag while the view renders): a stored copy never holds a visitor's own token."""
    request.csrf_placeholder = True  # type: ignore[attr-defined]
    try:
        return render()
    finally:
        request.csrf_placeholder = False  # type: ignore[attr-defined]


def _with_visitor_token(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """The stored copy `response` with this visitor's CSRF token in place of the placeholder."""
    if not response.streaming:
        response.content = response.content.replace(
            CSRF_PLACEHOLDER.encode(), get_token(request).encode()
        )
    return response


def remembered_for_team(name: str, compute: Callable[[], T], *, audience: str = "team") -> T:
    """`compute()`, kept like the team pages until G2ID's data changes (G2ID_TEAM_PAGE_CACHE).

    For a value that depends only on `audience`, `name`, the language, the day and G2ID's data.
    """
    if not settings.G2ID_TEAM_PAGE_CACHE:
        return compute()
    return TEAM_PAGES.remembered(_key(audience, "value", name), compute, TEAM_PAGE_TIMEOUT)


def remembered_for_member(user: Any, name: str, compute: Callable[[], T]) -> T:
    """`compute()` for this member only (see cached_team_page): the authorisation inside
    `compute` runs before the answer is first kept for them."""
    return remembered_for_team(name, compute, audience=_audience(user))


def fresh_csrf_placeholder(request: HttpRequest) -> dict[str, str]:
    """Context processor: a page rendered to be stored gets CSRF_PLACEHOLDER as its
    `csrf_token` ({% csrf_token %} and base.html's htmx header); _with_visitor_token puts the
    visitor's own token in its place on each answer."""
    if getattr(request, "csrf_placeholder", False):
        return {"csrf_token": CSRF_PLACEHOLDER}
    return {}


def _shows_a_change(sender: type[Model], kwargs: dict[str, Any]) -> bool:
    """Whether a signal tells of a change a page may show."""
    if kwargs.get("action", "post_").startswith("pre_"):
        return False  # m2m_changed: only once the relation has changed
    update_fields = kwargs.get("update_fields")
    return not (
        update_fields
        and sender is apps.get_model("accounts", "User")
        and set(update_fields) <= PRIVATE_USER_FIELDS
    )


def _public_page_changed(sender: type[Model], **kwargs: Any) -> None:
    if kwargs.get("created") and sender is apps.get_model("institutions", "Institution"):
        return  # a new library is nobody's home institution yet
    if _shows_a_change(sender, kwargs):
        PUBLIC_PAGES.bump()


def _team_page_changed(sender: type[Model], **kwargs: Any) -> None:
    if _shows_a_change(sender, kwargs):
        TEAM_PAGES.bump()


def _migrated(sender: AppConfig, **kwargs: Any) -> None:
    # Each deployment migrates: pages rendered by the previous code are not served again.
    if sender.name == "g2id.public":
        PUBLIC_PAGES.renew()
        TEAM_PAGES.renew()


def _connect(model: type[Model], receiver: Callable[..., None], name: str) -> None:
    label = model._meta.label
    post_save.connect(receiver, sender=model, dispatch_uid=f"{name}-save-{label}")
    post_delete.connect(receiver, sender=model, dispatch_uid=f"{name}-delete-{label}")
    for relation in model._meta.local_many_to_many:
        through = relation.remote_field.through  # type: ignore[attr-defined]
        uid = f"{name}-m2m-{label}-{relation}"
        m2m_changed.connect(receiver, sender=through, dispatch_uid=uid)


def connect_signals() -> None:
    """Invalidate the cached pages when what they show changes (called once, at start).

    Writes that send no signal (`QuerySet.update`, `bulk_create`) call `bump` themselves.
    """
    post_migrate.connect(_migrated, dispatch_uid="page-cache-migrate")
    for label in SHOWN_MODELS:
        _connect(apps.get_model(label), _public_page_changed, "public-pages")
    for model in apps.get_models():
        if model.__module__.startswith("g2id.") and model._meta.label not in NOT_SHOWN_TO_TEAM:
            _connect(model, _team_page_changed, "team-pages")
