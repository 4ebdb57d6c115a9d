"""The coordinator's settings page and the members' digest page: who may see what."""

from __future__ import annotations

from g2id.weekly.models import WeeklyPoint, WeeklyPointSettings
from tests.conftest import run_tasks
from tests.factories import UserFactory
from tests.weekly.conftest import configure, person

SETTINGS = "/espace/equipe/cellule-sigb/point-hebdo/"
WEEK = "/espace/equipe/cellule-sigb/point-hebdo/semaine/"


def test_the_coordinator_sets_the_weekly_point(client, cell, settings):
    settings.G2ID_WEBHOOK_ALLOW_PRIVATE = False
    client.force_login(person("coord"))
    assert SETTINGS in client.get("/espace/equipe/cellule-sigb/").content.decode()
    assert client.get(SETTINGS).status_code == 200

    form = {"weekday": "4", "time": "14:00", "chat_kind": "hookshot", "email_members": "on"}
    refused = client.post(SETTINGS, {**form, "webhook_url": "http://10.0.0.5/hooks/x"})
    assert refused.status_code == 400
    assert "10.0.0.5" in refused.content.decode()
    assert not WeeklyPointSettings.objects.exists()

    saved = client.post(SETTINGS, {**form, "webhook_url": "https://93.184.216.34/hooks/x"})
    assert saved.status_code == 302
    config = WeeklyPointSettings.objects.get(cell=cell)
    assert (config.weekday, config.time.hour, config.chat_kind, config.email_members) == (
        4, 14, "hookshot", True,
    )  # fmt: skip


def test_a_failed_point_is_shown_and_posted_again(client, cell, chat):
    configure(cell, chat.url)
    point = WeeklyPoint.objects.create(
        cell=cell, week="2026-W48", markdown="## Point\n", status=WeeklyPoint.Status.FAILED,
        attempts=7, last_error="WebhookRefused: HTTP 503 Service Unavailable",
    )  # fmt: skip
    client.force_login(person("coord"))
    page = client.get(SETTINGS).content.decode()
    assert "HTTP 503 Service Unavailable" in page
    assert f"{SETTINGS}{point.pk}/reposter/" in page

    assert client.post(f"{SETTINGS}{point.pk}/reposter/").status_code == 302
    run_tasks()
    point.refresh_from_db()
    assert point.status == WeeklyPoint.Status.POSTED
    assert chat.received == [{"text": "## Point\n"}]


def test_members_run_the_point_from_its_page(client, cell):
    client.force_login(person("anne"))
    page = client.get(WEEK)
    assert page.status_code == 200
    html = page.content.decode()
    assert "<h2>" in html and "Cellule SIGB" in html

    WeeklyPoint.objects.create(cell=cell, week="2026-W01", markdown="## Janvier\n\n- **fait**\n")
    past = client.get(WEEK, {"semaine": "2026-W01"}).content.decode()
    assert "<h2>Janvier</h2>" in past and "<strong>fait</strong>" in past


def test_only_the_cells_members_see_its_weekly_point(client, cell):
    client.force_login(UserFactory(username="intrus"))
    assert client.get(WEEK).status_code == 404
    assert client.get(SETTINGS).status_code == 404
    client.force_login(person("anne"))
    assert client.get(SETTINGS).status_code == 403
    point = WeeklyPoint.objects.create(
        cell=cell, week="2026-W48", markdown="x", status=WeeklyPoint.Status.FAILED
    )
    assert client.post(f"{SETTINGS}{point.pk}/reposter/").status_code == 403
    client.logout()
    assert client.get(WEEK).status_code == 302  # to the login page


def test_the_page_reads_few_queries(client, cell, django_assert_max_num_queries):
    client.force_login(person("anne"))
    with django_assert_max_num_queries(25):
        assert client.get(WEEK).status_code == 200
