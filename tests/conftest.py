from __future__ import annotations

from unittest import mock

import pytest
from django.core.management import call_command

from tests.factories import UserFactory, file_request, member_of


@pytest.fixture(autouse=True)
def _isolated(settings, tmp_path, db):
    """Every test gets its own media folder, real-mail outbox and no leftover rate counts."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.G2ID_SUBMIT_RATE = "1000/m"
    settings.PUBLIC_BASE_URL = "http://testserver"
    # Password hashing is slow on purpose; tests create many accounts.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    from django.core.cache import cache
    from django.utils import translation

    from g2id.public.cache import PUBLIC_PAGES, TEAM_PAGES, recent_copies
    from g2id.public.version_feed import version_feed

    cache.clear()
    recent_copies.clear()
    version_feed.forget()
    # As after a deployment's migrate: the page versions exist.
    PUBLIC_PAGES.renew()
    TEAM_PAGES.renew()
    # A page under /en/ leaves English active in the thread; each test starts in French.
    translation.activate(settings.LANGUAGE_CODE)
    yield
    # The listening connection would keep the test database from being dropped.
    version_feed.forget()


@pytest.fixture
def rendered_every_time(settings):
    """Team pages rendered on each visit: a query budget measures the rendering, not the cache.

    What a stored page costs is held in tests/test_team_page_cache.py.
    """
    settings.G2ID_TEAM_PAGE_CACHE = False


@pytest.fixture
def member(db):
    """An active member of the national cell."""
    return member_of(person=UserFactory(username="claire", first_name="Claire", last_name="Dubois"))


@pytest.fixture
def outsider(db):
    """A logged-in person who belongs to no cell."""
    return UserFactory(username="intrus")


@pytest.fixture
def filed(db):
    """A freshly submitted request."""
    return file_request()


def run_tasks() -> None:
    """Run every queued background task that is due, with the real worker, as in production."""
    # The worker closes "old" connections between tasks, which would close the test's own
    # transaction-wrapped connection; the tasks themselves run unchanged.
    with mock.patch("django_tasks_db.management.commands.db_worker.close_old_connections"):
        call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every transactional test restores the data migrations' rows (serialized rollback).

    Mixing both kinds in one worker breaks the next serialized test: the flush after a
    non-serialized one recreates content types that the serialized one then restores again.
    """
    for item in items:
        marker = item.get_closest_marker("django_db")
        if (
            marker
            and marker.kwargs.get("transaction")
            and not marker.kwargs.get("serialized_rollback")
        ):
            raise pytest.UsageError(
                f"{item.nodeid}: use @pytest.mark.django_db(transaction=True, "
                "serialized_rollback=True)"
            )
