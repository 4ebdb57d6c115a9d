from __future__ import annotations

import datetime
import http.server
import json
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest
from django.utils import timezone

from g2id.team.models import Cell, Membership
from g2id.weekly.models import WeeklyPointSettings
from tests.factories import CellFactory, UserFactory, member_of


def at(*args: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(*args))


@pytest.fixture
def cell(db) -> Cell:
    """A cell of five: a coordinator and four members."""
    cell = CellFactory(
        name="Cellule SIGB", slug="cellule-sigb", contact_email="sigb@g2id.fr",
        positioning_target_days=10,
    )  # fmt: skip
    start = datetime.date(2026, 1, 5)
    member_of(
        cell,
        person=UserFactory(username="coord", first_name="Corinne", last_name="Ordas"),
        role=Membership.Role.COORDINATOR,
        start_date=start,
        planned_end_date=datetime.date(2029, 12, 31),
    )
    for username, first, last, end in [
        ("anne", "Anne", "Aubry", datetime.date(2029, 12, 31)),
        ("bruno", "Bruno", "Berthier", datetime.date(2029, 12, 31)),
        ("chloe", "Chloé", "Chabert", datetime.date(2029, 12, 31)),
        ("denis", "Denis", "Durand", datetime.date(2027, 3, 31)),
    ]:
        member_of(
            cell,
            person=UserFactory(username=username, first_name=first, last_name=last),
            start_date=start,
            planned_end_date=end,
        )
    return cell


def person(username: str):
    from g2id.accounts.models import User

    return User.objects.get(username=username)


def configure(cell: Cell, url: str = "", **fields) -> WeeklyPointSettings:
    return WeeklyPointSettings.objects.create(cell=cell, webhook_url=url, **fields)


@dataclass
class ChatServer:
    """A webhook receiver on 127.0.0.1 answering the statuses it is given, in order."""

    answers: list[int] = field(default_factory=lambda: [200])
    received: list[dict] = field(default_factory=list)
    paths: list[str] = field(default_factory=list)
    url: str = ""


@pytest.fixture
def chat(settings) -> Iterator[ChatServer]:
    settings.G2ID_WEBHOOK_ALLOW_PRIVATE = True
    settings.G2ID_WEBHOOK_TIMEOUT = 2
    server_state = ChatServer()

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers["Content-Length"])
            server_state.received.append(json.loads(self.rfile.read(length)))
            server_state.paths.append(self.path)
            status = server_state.answers.pop(0) if server_state.answers else 200
            self.send_response(status)
            self.end_headers()
            self.wfile.write(b"ok" if status == 200 else b"chat server error")

        def log_message(self, *args) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.timeout = 1
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    server_state.url = f"http://127.0.0.1:{server.server_address[1]}/hooks/abc123"
    try:
        yield server_state
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture
def hanging_server(settings) -> Iterator[str]:
    """A server that accepts connections and never answers."""
    settings.G2ID_WEBHOOK_ALLOW_PRIVATE = True
    settings.G2ID_WEBHOOK_TIMEOUT = 0.5
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen(5)
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}/hooks/slow"
    finally:
        listener.close()
