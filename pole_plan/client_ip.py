"""The client's real address, read from the proxy header only when the proxy is trusted.

Behind the README's nginx (``proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for``)
every request comes from 127.0.0.1 and nginx *appends* the address it saw to whatever
X-Forwarded-For the client sent. So the header is read only when the request comes from an
address in ``TRUSTED_PROXY_IPS``, and from the right: the first hop that is not a trusted
proxy is the client (anything to its left was written by the client and may be forged).
Without ``TRUSTED_PROXY_IPS`` the header is ignored and ``REMOTE_ADDR`` is the client.

django-axes locks out by this address (``AXES_CLIENT_IP_CALLABLE``) and the log formatter
prints it (:class:`ClientAddressFilter`).
"""

from __future__ import annotations

import ipaddress
import logging
from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=8)
def _networks(entries: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(entry, strict=False) for entry in entries)


def _address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(text.strip())
    except ValueError:
        return None


def is_trusted_proxy(text: str) -> bool:
    address = _address(text or "")
    networks = _networks(tuple(settings.TRUSTED_PROXY_IPS))
    return address is not None and any(address in network for network in networks)


def client_ip(request: HttpRequest) -> str:
    """The client's address: ``REMOTE_ADDR``, or the proxy's word for it when trusted."""
    remote = request.META.get("REMOTE_ADDR", "") or ""
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if not forwarded or not is_trusted_proxy(remote):
        return remote
    for hop in reversed([hop.strip() for hop in forwarded.split(",")]):
        if not is_trusted_proxy(hop):
            address = _address(hop)
            # A hop that is not an address was not written by our proxy: trust nothing left.
            return str(address) if address is not None else remote
    return remote


class ClientAddressFilter(logging.Filter):
    """Adds ``client_ip`` to every log record (``-`` when the record has no request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        request = getattr(record, "request", None)
        try:
            record.client_ip = client_ip(request) if request is not None else "-"
        except Exception:  # a log line must never fail because of its address
            record.client_ip = "-"
        return True
