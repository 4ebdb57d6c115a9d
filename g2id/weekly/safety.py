"""Webhook addresses that cannot be turned against internal hosts, and the POST itself.

An address must be http(s) and every address its host resolves to must be public (no
loopback, private, link-local, multicast, reserved or unspecified one), unless
G2ID_WEBHOOK_ALLOW_PRIVATE is on (development and tests). The check runs when the address is
saved and again at each post; the connection then goes to the very address that was checked
(a DNS answer changing in between cannot redirect it), redirects are never followed, and
every network operation has a short timeout.
"""

from __future__ import annotations

import http.client
import ipaddress
import json
import socket
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

DEFAULT_PORTS = {"http": 80, "https": 443}


class UnsafeWebhook(ValueError):
    """The address is refused for good: wrong scheme, or a non-public host."""


class WebhookRefused(Exception):
    """The chat server answered, but not with a success (4xx, 5xx, or a redirect)."""


@dataclass(frozen=True)
class WebhookTarget:
    scheme: str
    host: str
    port: int
    path: str
    addresses: tuple[str, ...]


def _is_public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not (
        ip.is_loopback
        or ip.is_private
        or ip.is_link_local
        or ip.is_multicast
        or ip.is_reserved
        or ip.is_unspecified
    )


def resolve_webhook(url: str) -> WebhookTarget:
    """Check `url` and resolve its host; raise UnsafeWebhook, or OSError if DNS fails."""
    parts = urlsplit(url.strip())
    try:
        port = parts.port
    except ValueError:
        port = -1
    if parts.scheme not in DEFAULT_PORTS or not parts.hostname or port == -1:
        raise UnsafeWebhook(
            _("The webhook address must start with http:// or https:// and name a host.")
        )
    port = port or DEFAULT_PORTS[parts.scheme]
    infos = socket.getaddrinfo(parts.hostname, port, type=socket.SOCK_STREAM)
    addresses = tuple(dict.fromkeys(str(info[4][0]) for info in infos))
    if not settings.G2ID_WEBHOOK_ALLOW_PRIVATE:
        for address in addresses:
            if not _is_public(address):
                raise UnsafeWebhook(
                    _(
                        "The webhook address is refused: %(host)s points to %(address)s, a "
                        "loopback, private, link-local or reserved address. Give the public "
                        "address of your chat server."
                    )
                    % {"host": parts.hostname, "address": address}
                )
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return WebhookTarget(parts.scheme, parts.hostname, port, path, addresses)


def validate_webhook_url(url: str) -> None:
    """Model validator: the same check as at posting time, with French messages."""
    if not url:
        return
    try:
        resolve_webhook(url)
    except UnsafeWebhook as refusal:
        raise ValidationError(str(refusal), code="unsafe") from refusal
    except OSError as error:
        raise ValidationError(
            _("The host of the webhook address cannot be found (%(error)s).") % {"error": error},
            code="unknown_host",
        ) from error


def _connect_to(address: str) -> Callable[..., socket.socket]:
    """A socket factory that ignores the host name and connects to the checked address."""

    def create_connection(
        host_port: tuple[str, int], timeout: Any = None, source_address: Any = None
    ) -> socket.socket:
        return socket.create_connection((address, host_port[1]), timeout, source_address)

    return create_connection


def post_json(url: str, payload: dict[str, Any], *, timeout: float) -> int:
    """POST `payload` as JSON to a checked webhook; return the status, raise unless 2xx."""
    target = resolve_webhook(url)
    connection_class = (
        http.client.HTTPSConnection if target.scheme == "https" else http.client.HTTPConnection
    )
    # Host header and TLS name stay the host's; the socket goes to the checked address.
    connection = connection_class(target.host, target.port, timeout=timeout)
    connection._create_connection = _connect_to(target.addresses[0])  # type: ignore[attr-defined]
    try:
        connection.request(
            "POST",
            target.path,
            body=json.dumps(payload).encode(),
            headers={"Content-Type": "application/json; charset=utf-8", "User-Agent": "G2ID"},
        )
        response = connection.getresponse()
        answer = response.read(500).decode("utf-8", "replace")
    finally:
        connection.close()
    if not 200 <= response.status < 300:
        # Redirects included: never followed, whatever the host they point to.
        raise WebhookRefused(f"HTTP {response.status} {response.reason}: {answer}".strip())
    return response.status
