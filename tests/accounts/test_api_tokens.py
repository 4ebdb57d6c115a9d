"""Personal API tokens (created, shown once, revoked on the profile page) and e-mail settings."""

from __future__ import annotations

import datetime
import hashlib

import pytest
from django.utils import timezone

from g2id.accounts.models import ApiToken, User
from g2id.notifications.models import OutgoingMail
from tests.conftest import run_tasks
from tests.factories import UserFactory, file_request, member_of

PROFILE = "/espace/profil/"
CREATE = "/espace/profil/jetons/"
NOTIFICATIONS = "/espace/profil/notifications/"


@pytest.fixture
def logged_member(client, member):
    client.force_login(member)
    return member


def test_only_the_hash_of_a_token_is_kept_and_it_authenticates_its_owner(member):
    token, clear = ApiToken.issue(member, "script")

    assert clear.startswith(f"g2id_{token.prefix}")
    assert len(clear) > 40
    stored = ApiToken.objects.values_list("digest", flat=True).get()
    assert stored == hashlib.sha256(clear.encode()).hexdigest()
    assert clear not in {str(value) for value in ApiToken.objects.values().get().values()}
    assert ApiToken.objects.authenticate(clear) == member
    assert ApiToken.objects.authenticate(clear[:-2]) is None
    assert ApiToken.objects.authenticate("") is None
    assert ApiToken.objects.authenticate("g2id_") is None


def test_revoked_tokens_and_inactive_accounts_do_not_authenticate(member):
    token, clear = ApiToken.issue(member, "script")
    _, other_clear = ApiToken.issue(UserFactory(username="parti"), "vieux")
    token.revoke()
    User.objects.filter(username="parti").update(is_active=False)

    assert ApiToken.objects.authenticate(clear) is None
    assert ApiToken.objects.authenticate(other_clear) is None


def test_the_last_use_is_recorded_at_most_once_a_minute(member, django_assert_num_queries):
    token, clear = ApiToken.issue(member, "script")

    ApiToken.objects.authenticate(clear)
    token.refresh_from_db()
    first_use = token.last_used_at
    with django_assert_num_queries(1):  # read only: used less than a minute ago
        ApiToken.objects.authenticate(clear)
    token.refresh_from_db()
    assert first_use is not None and token.last_used_at == first_use

    earlier = timezone.now() - datetime.timedelta(minutes=2)
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=earlier)
    ApiToken.objects.authenticate(clear)
    token.refresh_from_db()
    assert token.last_used_at is not None and token.last_used_at > earlier


def test_a_member_creates_a_token_sees_it_once_then_revokes_it(client, logged_member):
    created = client.post(CREATE, {"name": "Mon script de tri"})

    assert created.status_code == 200
    assert created["Cache-Control"] == "no-store"
    clear = created.context["clear"]
    assert clear in created.content.decode()
    token = ApiToken.objects.get(user=logged_member)
    assert token.name == "Mon script de tri"

    profile = client.get(PROFILE).content.decode()
    assert "Mon script de tri" in profile and token.hint in profile
    assert clear not in profile

    revoked = client.post(f"/espace/profil/jetons/{token.pk}/revoquer/")
    assert revoked.status_code == 302 and revoked.url.endswith("#api-tokens")
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert ApiToken.objects.authenticate(clear) is None


def test_a_token_needs_a_name(client, logged_member):
    response = client.post(CREATE, {"name": "  "})

    assert response.status_code == 400
    assert response.context["form"].errors["name"]
    assert not ApiToken.objects.exists()


def test_nobody_revokes_someone_elses_token_and_anonymous_visitors_are_sent_to_log_in(
    client, logged_member
):
    theirs, _ = ApiToken.issue(UserFactory(username="autre"), "le leur")

    assert client.post(f"/espace/profil/jetons/{theirs.pk}/revoquer/").status_code == 404
    assert client.get(CREATE).status_code == 405
    client.logout()
    assert client.post(CREATE, {"name": "x"}).url.startswith("/connexion/")
    theirs.refresh_from_db()
    assert theirs.revoked_at is None and not ApiToken.objects.filter(user=logged_member).exists()


def test_a_member_chooses_their_e_mails_on_the_profile_page(client, logged_member):
    page = client.get(PROFILE).content.decode()
    assert 'name="notify_new_requests"' in page and 'name="opinion_digest"' in page

    response = client.post(NOTIFICATIONS, {"opinion_digest": "on"})

    assert response.status_code == 302
    logged_member.refresh_from_db()
    assert (logged_member.notify_new_requests, logged_member.opinion_digest) == (False, True)


def test_the_new_request_mail_goes_only_to_members_who_want_it(db):
    member_of(person=UserFactory(username="veut", email="veut@example.org"))
    member_of(
        person=UserFactory(username="pas", email="pas@example.org", notify_new_requests=False)
    )

    filed = file_request()
    run_tasks()  # the worker announces the request

    team_mail = OutgoingMail.objects.exclude(to=[filed.contact_email]).get(
        subject__contains=filed.reference
    )
    assert "veut@example.org" in team_mail.to
    assert "pas@example.org" not in team_mail.to
    assert "pas@example.org" in filed.cell.team_emails()  # the other team mails are unchanged
