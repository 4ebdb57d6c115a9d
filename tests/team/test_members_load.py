"""A member's load: the open requests of the cell they appear in, among their latest actions."""

from __future__ import annotations

from g2id.requests.models import Party
from g2id.requests.services import post_message
from g2id.team.governance import RECENT_ACTIONS, open_requests_followed
from tests.factories import CellFactory, UserFactory, cell_of_five, file_request, under_review


def test_each_open_request_of_the_cell_counts_once_per_person():
    cell = cell_of_five()
    coord, anne = UserFactory(username="coord"), UserFactory(username="anne")
    reviewed = under_review(cell)  # an event by the coordinator
    post_message(request=reviewed, body="Note", party=Party.TEAM, author=coord, internal=True)
    discussed = file_request(cell=cell)
    post_message(request=discussed, body="Bonjour", party=Party.TEAM, author=anne)
    withdrawn = under_review(cell)
    withdrawn.withdraw(reason="Plus besoin")  # finished: no longer a load
    elsewhere = file_request(cell=CellFactory())
    post_message(request=elsewhere, body="Bonjour", party=Party.TEAM, author=anne)

    load = open_requests_followed(cell.pk, [coord.pk, anne.pk, UserFactory().pk])

    assert load == {coord.pk: 1, anne.pk: 1}


def test_only_the_latest_actions_are_read():
    cell = cell_of_five()
    anne = UserFactory(username="anne")
    first = file_request(cell=cell, title="La plus ancienne")
    post_message(request=first, body="Bonjour", party=Party.TEAM, author=anne)
    later = file_request(cell=cell)
    for _ in range(RECENT_ACTIONS):
        post_message(request=later, body="Relance", party=Party.TEAM, author=anne, internal=True)

    assert open_requests_followed(cell.pk, [anne.pk]) == {anne.pk: 1}
