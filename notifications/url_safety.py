"""Where webhooks may be sent: public addresses only, so that a manager's URL cannot make the
tracker POST to its own network (server-side request forgery: the database, Redis, a cloud
metadata service on 169.254.169.254, an admin interface on localhost).

A URL is checked when it is registered (a clear refusal) and again on every delivery, because
DNS can answer differently later. On delivery the check is the connection itself: the host is
resolved once, every address checked, and the socket opened to those checked addresses, so a
name that resolves to a public address for the check and to 127.0.0.1 a moment later (DNS
rebinding) still cannot reach 127.0.0.1. Redirects are not followed and no proxy is used: the
address checked is the address connected to.

WEBHOOK_ALLOW_PRIVATE_HOSTS (false by default) lets private hosts through, for a receiver on the
tracker's own network or the tests' receiver on 127.0.0.1.
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import urllib.request
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings

SCHEMES = {"http": 80, "https": 443}


class RefusedAddress(OSError):
    """The host resolves to an address webhooks are not sent to. An OSError, so that urllib
    reports it like any connection failure; the delivery tells it apart and does not retry."""


def _kind(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> str | None:
    """What makes `ip` unfit for a webhook ('loopback', 'private', …), or None when it is a
    public address. An IPv6 address carrying an IPv4 one (mapped, 6to4) is judged by that."""
    if isinstance(ip, ipaddress.IPv6Address):
        embedded = ip.ipv4_mapped or ip.sixtofour
        if embedded is not None:
            return _kind(embedded)
        if ip.is_site_local:
            return "private"
    for kind in ("loopback", "link-local", "multicast", "unspecified", "reserved", "private"):
        if getattr(ip, f"is_{kind.replace('-', '_')}"):
            return kind
    # What is left but not global: shared address space (100.64.0.0/10), documentation ranges.
    return None if ip.is_global else "reserved"


def checked_addresses(host: str, port: int) -> list[tuple[Any, ...]]:
    """`socket.getaddrinfo(host, port)` for a TCP connection, when every address it gives is
    public (or WEBHOOK_ALLOW_PRIVATE_HOSTS is on). Raises RefusedAddress when any is not (one
    private address among public ones is enough: a client would connect to any of them), and
    socket.gaierror when the host does not resolve."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    if settings.WEBHOOK_ALLOW_PRIVATE_HOSTS:
        return infos
    for *_, sockaddr in infos:
        ip = ipaddress.ip_address(sockaddr[0])
        if kind := _kind(ip):
            what = f"{host} is a" if str(ip) == host else f"{host} resolves to {ip}, a"
            raise RefusedAddress(
                f"{what} {kind} address: webhooks are sent only to public addresses."
            )
    return infos


def refusal(url: str) -> str | None:
    """Why a webhook may not be registered at `url`, or None. A host that does not resolve (yet)
    is not refused: nothing can be reached there now, and every delivery checks again."""
    parts = urlsplit(url)
    try:
        port = parts.port
    except ValueError:
        return "The port is not a number from 0 to 65535."
    if parts.scheme not in SCHEMES or not parts.hostname:
        return "Give an http or https address."
    try:
        checked_addresses(parts.hostname, port or SCHEMES[parts.scheme])
    except RefusedAddress as exc:
        return str(exc)
    except (OSError, UnicodeError):  # does not resolve, or not a name DNS can carry
        return None
    return None


def _connect(address: tuple[str, int], timeout: Any, source_address: Any = None) -> socket.socket:
    """socket.create_connection, to the checked addresses of the host only."""
    host, port = address
    failure: OSError = OSError(f"{host} has no address.")
    for *_, sockaddr in checked_addresses(host, port):
        try:
            return socket.create_connection(sockaddr[:2], timeout, source_address)
        except OSError as exc:
            failure = exc
    raise failure


class _HTTPConnection(http.client.HTTPConnection):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._create_connection = _connect


class _HTTPSConnection(http.client.HTTPSConnection):
    # The TLS handshake still names and verifies the host: only the TCP connection is pinned.
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._create_connection = _connect


class _HTTPHandler(urllib.request.HTTPHandler):
    def http_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(_HTTPConnection, req)


class _HTTPSHandler(urllib.request.HTTPSHandler):
    def https_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(_HTTPSConnection, req, context=self._context)


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None  # a 3xx answer is an HTTPError: not delivered, retried


def opener() -> urllib.request.OpenerDirector:
    """urllib's opener for webhook deliveries: checked addresses, no redirects, no proxies."""
    return urllib.request.build_opener(
        urllib.request.ProxyHandler({}), _NoRedirects, _HTTPHandler, _HTTPSHandler
    )
