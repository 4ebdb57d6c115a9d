"""The demo shows the profile and the scope guard at work."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from g2id.institutions.models import TechnicalProfile
from g2id.requests.models import Message, Request, Status
from g2id.requests.scope import scope_check


@pytest.fixture(autouse=True)
def _fast_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def test_demo_libraries_have_profiles_and_one_open_request_is_flagged_heavy():
    call_command("load_demo", stdout=StringIO())
    assert TechnicalProfile.objects.count() >= 5
    under_review = Request.objects.filter(status=Status.UNDER_REVIEW).select_related(
        "institution", "cell"
    )
    heavy = [filed for filed in under_review if scope_check(filed).is_heavy]
    assert len(heavy) == 1
    assert heavy[0].effort_days == 45
    assert scope_check(heavy[0]).partners
    assert Message.objects.filter(request=heavy[0], is_internal=True, body__contains="45").exists()
