"""What operators rely on: /healthz, the g2id command, the production checks."""

from __future__ import annotations

import datetime
import subprocess
import sys

from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from tests.conftest import run_tasks
from tests.factories import file_request


def test_healthz_reports_the_database_and_an_idle_worker(client):
    body = client.get("/healthz").json()
    assert body["status"] == "ok"
    assert body["database"]["status"] == "ok"
    assert body["worker"] == {
        "status": "ok",
        "queued": 0,
        "oldest_queued_seconds": 0,
        "last_task_started_at": None,
    }


def test_healthz_says_when_mail_waits_for_a_stopped_worker(client):
    file_request()
    DBTaskResult.objects.update(enqueued_at=timezone.now() - datetime.timedelta(minutes=30))
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "degraded"
    assert body["worker"]["status"] == "late"
    assert body["worker"]["queued"] >= 1


def test_healthz_shows_the_last_task_run(client):
    file_request()
    run_tasks()
    assert client.get("/healthz").json()["worker"]["last_task_started_at"] is not None


def test_the_g2id_command_runs_django_management_commands():
    result = subprocess.run(
        [sys.executable, "-m", "g2id", "help"], capture_output=True, text=True, check=True
    )
    assert "migrate" in result.stdout
    assert "db_worker" in result.stdout


def test_the_deploy_checks_warn_about_a_development_configuration(capsys):
    from django.core.management.base import SystemCheckError

    try:
        call_command("check", "--deploy", "--fail-level", "WARNING")
    except SystemCheckError as error:
        report = str(error)
    else:  # pragma: no cover - the test settings are a development configuration
        report = ""
    assert "g2id.W001" in report
