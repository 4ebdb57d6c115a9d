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
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable, Mapping
from functools import wraps
from typing import Any

from django.apps import AppConfig, apps
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.db import transaction
from django.db.models import Model
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save
from django.http import HttpRequest, HttpResponse
from django.utils import timezone, translation

VERSION_KEY = "g2id:pages:version"
PAGE_KEY_PREFIX = "g2id:page"
# Pages also depend on the day (active memberships, busy/free weeks): the day is part of
# the key; the timeout only bounds what a forgotten entry costs.
PAGE_TIMEOUT = 6 * 3600
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

View = Callable[..., HttpResponse]


def content_version() -> str:
    """The current content version (a new one is stored when there is none)."""
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, uuid.uuid4().hex, None)
        version = cache.get(VERSION_KEY)
    return str(version)


def bump_content_version() -> None:
    """Invalidate every cached page, now and again when the current transaction commits.

    The second bump covers a page rendered by another request between the first one and
    the commit, while the change was not visible yet.
    """
    _new_version()
    transaction.on_commit(_new_version)


def _new_version() -> None:
    cache.set(VERSION_KEY, uuid.uuid4().hex, None)


def _page_key(request: HttpRequest) -> str:
    path = hashlib.sha256(request.get_full_path().encode()).hexdigest()
    return ":".join(
        (
            PAGE_KEY_PREFIX,
            translation.get_language() or "",
            timezone.localdate().isoformat(),
            "htmx" if request.headers.get("HX-Request") else "page",
            path,
        )
    )


def _may_use_cache(request: HttpRequest) -> bool:
    """An anonymous GET with no message waiting (messages are not consumed by `len`)."""
    return (
        request.method == "GET"
        and not request.user.is_authenticated
        and len(get_messages(request)) == 0
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


def _lookup(request: HttpRequest) -> tuple[str, str, HttpResponse | None]:
    """The page key, the current version and the stored page if it is of that version."""
    key = _page_key(request)
    found = cache.get_many([VERSION_KEY, key])
    version = found.get(VERSION_KEY)
    if version is None:
        version = content_version()
    stored = found.get(key)
    if stored is None or stored[0] != version:
        return key, version, None
    _version, status, headers, content = stored
    response = HttpResponse(content, status=status)
    for name, value in headers:
        response[name] = value
    return key, version, response


def _store(key: str, version: str, response: HttpResponse) -> None:
    headers = list(response.items())
    cache.set(key, (version, response.status_code, headers, response.content), PAGE_TIMEOUT)


def cached_page(view: View) -> View:
    """Serve and store the anonymous GETs of `view` through the shared page cache."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not _may_use_cache(request):
            return view(request, *args, **kwargs)
        key, version, response = _lookup(request)
        if response is not None:
            return response
        # Tells base.html to leave the visitor's CSRF token out of the page.
        request.cached_page = True  # type: ignore[attr-defined]
        response = view(request, *args, **kwargs)
        if _may_store(request, response):
            _store(key, version, response)
        return response

    return wrapper


def cached_page_with_fresh_values(
    request: HttpRequest,
    render: Callable[[Mapping[str, str]], HttpResponse],
    fresh: Mapping[str, Callable[[], str]],
) -> HttpResponse:
    """A page that is the same for every anonymous visitor but for a few values of their own.

    `render(values)` renders the page with `values`, one per name of `fresh` (a CSRF token,
    a form's submission key). The shared copy is rendered with placeholders instead, and
    each answer gets its own values from `fresh`: the request form costs a cache read and
    two replacements instead of rendering a hundred widgets.
    """
    if not _may_use_cache(request):
        return render({name: make() for name, make in fresh.items()})
    placeholders = {name: f"g2id-fresh-{name}" for name in fresh}
    key, version, response = _lookup(request)
    if response is None:
        request.cached_page = True  # type: ignore[attr-defined]
        response = render(placeholders)
        if not _may_store(request, response):
            request.cached_page = False  # type: ignore[attr-defined]
            return render({name: make() for name, make in fresh.items()})
        _store(key, version, response)
    content = response.content
    for name, make in fresh.items():
        content = content.replace(placeholders[name].encode(), make().encode())
    response.content = content
    return response


def _changed(sender: type[Model], **kwargs: Any) -> None:
    if kwargs.get("action", "post_").startswith("pre_"):
        return  # m2m_changed: only once the relation has changed
    if kwargs.get("created") and sender is apps.get_model("institutions", "Institution"):
        return  # a new library is nobody's home institution yet
    update_fields = kwargs.get("update_fields")
    if (
        update_fields
        and sender is apps.get_model("accounts", "User")
        and set(update_fields) <= PRIVATE_USER_FIELDS
    ):
        return
    bump_content_version()


def _migrated(sender: AppConfig, **kwargs: Any) -> None:
    # Each deployment migrates: pages rendered by the previous code are not served again.
    if sender.name == "g2id.public":
        _new_version()


def connect_signals() -> None:
    """Invalidate the cached pages when what they show changes (called once, at start)."""
    post_migrate.connect(_migrated, dispatch_uid="page-cache-migrate")
    for label in SHOWN_MODELS:
        model = apps.get_model(label)
        post_save.connect(_changed, sender=model, dispatch_uid=f"page-cache-save-{label}")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"page-cache-delete-{label}")
        for field in model._meta.local_many_to_many:
            through = field.remote_field.through  # type: ignore[attr-defined]
            m2m_changed.connect(
                _changed, sender=through, dispatch_uid=f"page-cache-m2m-{label}-{field.name}"
            )
