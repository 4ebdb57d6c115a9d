"""Webhook addresses cannot be turned against internal hosts (request forgery)."""

from __future__ import annotations

import socket
from unittest import mock

import pytest
from django.core.exceptions import ValidationError

from g2id.weekly.models import WeeklyPointSettings
from g2id.weekly.safety import UnsafeWebhook, resolve_webhook, validate_webhook_url


@pytest.fixture(autouse=True)
def _production(settings):
    settings.G2ID_WEBHOOK_ALLOW_PRIVATE = False


def resolving_to(*addresses: str):
    infos = [
        (socket.AF_INET6 if ":" in a else socket.AF_INET, socket.SOCK_STREAM, 6, "", (a, 443))
        for a in addresses
    ]
    return mock.patch("g2id.weekly.safety.socket.getaddrinfo", return_value=infos)


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8065/hooks/x",
        "http://localhost/hooks/x",
        "https://10.0.0.12/hooks/x",
        "https://192.168.1.20/hooks/x",
        "https://172.16.3.4/hooks/x",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]/hooks/x",
        "http://[fe80::1]/hooks/x",
        "http://[::ffff:127.0.0.1]/hooks/x",
        "http://0.0.0.0/hooks/x",
        "http://224.0.0.1/hooks/x",
        "http://240.0.0.1/hooks/x",
        "http://100.64.0.1/hooks/x",
    ],
)
def test_internal_addresses_are_refused(url):
    with pytest.raises(ValidationError) as refusal:
        validate_webhook_url(url)
    assert "refused" in str(refusal.value) or "refus" in str(refusal.value)


@pytest.mark.parametrize(
    "url", ["ftp://chat.example.fr/hooks/x", "file:///etc/passwd", "gopher://x", "http:///x",
            "javascript:alert(1)", "http://chat.example.fr:99999/x"],
)  # fmt: skip
def test_only_http_and_https_are_accepted(url):
    with pytest.raises(ValidationError, match="http://"):
        validate_webhook_url(url)


def test_a_host_with_one_private_address_among_public_ones_is_refused():
    with (
        resolving_to("93.184.216.34", "10.1.2.3"),
        pytest.raises(UnsafeWebhook, match=r"10\.1\.2\.3"),
    ):
        resolve_webhook("https://chat.example.fr/hooks/x")


def test_a_public_host_is_accepted_and_the_connection_goes_to_its_checked_address():
    with resolving_to("93.184.216.34"):
        target = resolve_webhook("https://chat.example.fr/hooks/x?token=1")
    assert target.addresses == ("93.184.216.34",)
    assert (target.host, target.port, target.path) == ("chat.example.fr", 443, "/hooks/x?token=1")


def test_an_unknown_host_is_refused_with_a_clear_message():
    failure = socket.gaierror(socket.EAI_NONAME, "Name or service not known")
    with (
        mock.patch("g2id.weekly.safety.socket.getaddrinfo", side_effect=failure),
        pytest.raises(ValidationError, match=r"cannot be found|introuvable"),
    ):
        validate_webhook_url("https://chat.invalid/hooks/x")


def test_the_setting_allows_private_addresses_in_development(settings):
    settings.G2ID_WEBHOOK_ALLOW_PRIVATE = True
    validate_webhook_url("http://127.0.0.1:8065/hooks/x")
    with pytest.raises(ValidationError):
        validate_webhook_url("file:///etc/passwd")


def test_saving_settings_validates_the_address(cell):
    config = WeeklyPointSettings(cell=cell, webhook_url="http://169.254.169.254/")
    with pytest.raises(ValidationError) as refusal:
        config.full_clean()
    assert "webhook_url" in refusal.value.message_dict
