from __future__ import annotations

import datetime

from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django_tasks_db.models import DBTaskResult

from g2id.public.cache import cached_page
from g2id.requests.models import Kind
from g2id.team.models import Cell

# A ready task older than this means the worker is down or overwhelmed.
WORKER_LATE_AFTER = datetime.timedelta(minutes=5)


@cached_page
def home(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "public/home.html",
        {"cells": Cell.objects.all(), "kinds": Kind.choices},
    )


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """Database reachability and the state of the background worker's queue."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception as error:
        return JsonResponse(
            {"status": "error", "database": {"status": "error", "error": type(error).__name__}},
            status=503,
        )
    ready = DBTaskResult.objects.ready()
    oldest = (
        ready.order_by("run_after", "enqueued_at").values_list("enqueued_at", flat=True).first()
    )
    last_run = (
        DBTaskResult.objects.exclude(started_at=None)
        .order_by("-started_at")
        .values_list("started_at", flat=True)
        .first()
    )
    now = timezone.now()
    late = oldest is not None and now - oldest > WORKER_LATE_AFTER
    return JsonResponse(
        {
            "status": "degraded" if late else "ok",
            "database": {"status": "ok", "vendor": connection.vendor},
            "worker": {
                "status": "late" if late else "ok",
                "queued": ready.count(),
                "oldest_queued_seconds": int((now - oldest).total_seconds()) if oldest else 0,
                "last_task_started_at": last_run.isoformat() if last_run else None,
            },
        }
    )


def rate_limited(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "public/rate_limited.html", status=429)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    return render(request, "500.html", status=500)
