"""Production hardening: the real client address behind the trusted proxy (lockout, logs),
a Content-Security-Policy with no inline script, and errors that reach someone."""

from __future__ import annotations

import logging
import logging.config
import re
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core import mail
from django.core.exceptions import ImproperlyConfigured
from django.test import Client, RequestFactory
from django.urls import reverse

from pole_plan.client_ip import ClientAddressFilter, client_ip
from pole_plan.settings import env_admins, env_networks, logging_config
from tests.conftest import PASSWORD

ROOT = Path(__file__).resolve().parents[2]
NGINX = ["127.0.0.1", "::1"]


@pytest.mark.parametrize(("trusted", "remote", "forwarded", "client"), [
    # The README's nginx: it appends the address it saw to the client's header.
    (NGINX, "127.0.0.1", "203.0.113.5", "203.0.113.5"),
    (NGINX, "127.0.0.1", "6.6.6.6, 203.0.113.5", "203.0.113.5"),  # forged left part ignored
    (NGINX, "::1", "2001:db8::7", "2001:db8::7"),
    (["127.0.0.1", "10.0.0.0/8"], "127.0.0.1", "203.0.113.5, 10.1.2.3", "203.0.113.5"),
    (NGINX, "127.0.0.1", "", "127.0.0.1"),
    (NGINX, "127.0.0.1", "pas-une-adresse", "127.0.0.1"),
    # The header of a request that did not come through a trusted proxy is ignored.
    (NGINX, "198.51.100.9", "203.0.113.5", "198.51.100.9"),
    ([], "127.0.0.1", "203.0.113.5", "127.0.0.1"),
])
def test_client_address_comes_from_the_trusted_proxy_only(
        settings, trusted, remote, forwarded, client):
    settings.TRUSTED_PROXY_IPS = trusted
    request = RequestFactory().get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == client


def _fail_login(client, address, username="alice"):
    return client.post(reverse("login"), {"username": username, "password": "mauvais"},
                       REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=address)


def test_behind_the_proxy_lockout_hits_the_attacker_not_everyone(client, cast, settings):
    settings.TRUSTED_PROXY_IPS = NGINX
    for _attempt in range(5):
        _fail_login(client, "203.0.113.5")
    locked = client.post(reverse("login"), {"username": "alice", "password": PASSWORD},
                         REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.5")
    assert locked.status_code == 429
    # alice, from her own address behind the same proxy, still signs in.
    response = Client().post(reverse("login"), {"username": "alice", "password": PASSWORD},
                             REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert response.status_code == 302


def test_a_forged_header_from_outside_does_not_escape_the_lockout(client, cast, settings):
    settings.TRUSTED_PROXY_IPS = NGINX
    for attempt in range(5):  # straight to the app, a new forged address each time
        client.post(reverse("login"), {"username": "alice", "password": "mauvais"},
                    REMOTE_ADDR="198.51.100.9", HTTP_X_FORWARDED_FOR=f"10.0.0.{attempt}")
    response = client.post(reverse("login"), {"username": "alice", "password": PASSWORD},
                           REMOTE_ADDR="198.51.100.9", HTTP_X_FORWARDED_FOR="10.0.0.99")
    assert response.status_code == 429


def test_lockout_records_the_client_address(client, cast, settings):
    from axes.models import AccessAttempt

    settings.TRUSTED_PROXY_IPS = NGINX
    _fail_login(client, "6.6.6.6, 203.0.113.5")
    assert AccessAttempt.objects.get().ip_address == "203.0.113.5"


def test_log_lines_carry_the_client_address(settings, tmp_path):
    settings.TRUSTED_PROXY_IPS = NGINX
    request = RequestFactory().get("/", REMOTE_ADDR="127.0.0.1",
                                   HTTP_X_FORWARDED_FOR="203.0.113.5")
    record = logging.LogRecord("django.request", logging.ERROR, __file__, 1, "x", (), None)
    record.request = request
    ClientAddressFilter().filter(record)
    assert record.client_ip == "203.0.113.5"

    errors = tmp_path / "errors.log"
    logging.config.dictConfig(logging_config(error_log_file=str(errors)))
    try:
        logger = logging.getLogger("django.request")
        logger.warning("Not Found: /x", extra={"request": request})
        logger.error("Internal Server Error: /panne/", extra={"request": request})
        logging.getLogger("indicators").info("no request here")
    finally:
        logging.config.dictConfig(django_settings.LOGGING)
    lines = errors.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 1  # errors only, once
    assert "ERROR django.request [203.0.113.5] Internal Server Error: /panne/" in lines[0]


def test_an_unhandled_error_is_mailed_to_admins_and_the_page_claims_nothing_more(
        settings, db):
    settings.ROOT_URLCONF = "tests.production.boom_urls"
    settings.ADMINS = [("Exploitation", "ops@example.org")]
    response = Client(raise_request_exception=False).get("/panne/")
    assert response.status_code == 500
    page = response.content.decode()
    assert "consignée dans le journal du serveur" in page
    assert "avertie" not in page
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["ops@example.org"]
    assert "panne simulée" in mail.outbox[0].body


def test_admins_and_trusted_proxies_are_read_from_the_environment(monkeypatch):
    monkeypatch.setenv("ADMINS", "ops@example.org, Jeanne Roy <jeanne@example.org>")
    assert env_admins("ADMINS") == [("ops@example.org", "ops@example.org"),
                                    ("Jeanne Roy", "jeanne@example.org")]
    monkeypatch.setenv("ADMINS", "pas une adresse")
    with pytest.raises(ImproperlyConfigured):
        env_admins("ADMINS")
    monkeypatch.setenv("TRUSTED_PROXY_IPS", "127.0.0.1, ::1,10.0.0.0/8")
    assert env_networks("TRUSTED_PROXY_IPS") == ["127.0.0.1", "::1", "10.0.0.0/8"]
    monkeypatch.setenv("TRUSTED_PROXY_IPS", "localhost")
    with pytest.raises(ImproperlyConfigured):
        env_networks("TRUSTED_PROXY_IPS")


def test_every_page_carries_a_policy_without_inline_script(client, cast, seed):
    client.force_login(cast["dora"])
    for url in (reverse("login"), reverse("reporting:pole", args=[seed["monteregie"].pk]),
                reverse("indicators:entry", args=[seed["monteregie"].pk, 2025])):
        policy = client.get(url).headers["Content-Security-Policy"]
        directives = dict(d.strip().split(" ", 1) for d in policy.split(";") if d.strip())
        assert directives["script-src"] == "'self'"
        assert directives["default-src"] == "'self'"
        assert directives["object-src"] == "'none'"
        assert directives["frame-ancestors"] == "'none'"


def test_inline_styles_are_allowed_only_where_plotly_draws_a_figure(client, cast, seed):
    """The status bars are SVG with presentation attributes: the dashboards and the public
    page allow no inline style; the indicator page, whose figure plotly.js draws (it injects
    <style> rules), does."""
    from tests.conftest import find_indicator

    plan = seed["monteregie"]
    client.force_login(cast["dora"])
    indicator = find_indicator(plan, "1.1.4", "Nb de rencontres")

    def style_src(url):
        response = client.get(url)
        assert response.status_code == 200
        policy = response.headers["Content-Security-Policy"]
        return dict(d.strip().split(" ", 1) for d in policy.split(";") if d.strip())[
            "style-src"], response.content.decode()

    for url in (reverse("reporting:pole", args=[plan.pk]), reverse("reporting:national"),
                reverse("indicators:entry", args=[plan.pk, 2025])):
        policy, page = style_src(url)
        assert policy == "'self'", url
        assert not re.search(r"<[^>]+\sstyle=", page) and "<style" not in page, url
    policy, _page = style_src(reverse("reporting:indicator", args=[indicator.pk]))
    assert policy == "'self' 'unsafe-inline'"


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
EVENT_HANDLER = re.compile(r"\son[a-z]+\s*=", re.IGNORECASE)


def test_templates_have_no_inline_script_or_event_handler():
    for template in (ROOT / "templates").rglob("*.html"):
        text = template.read_text(encoding="utf-8")
        assert not INLINE_SCRIPT.search(text), template
        assert not EVENT_HANDLER.search(text), template


def test_rendered_pages_have_no_inline_script_but_json_data(client, cast, seed):
    client.force_login(cast["mina"])
    for url in (reverse("reporting:national"),
                reverse("reporting:pole", args=[seed["quebec"].pk]),
                reverse("indicators:entry", args=[seed["quebec"].pk, 2025])):
        response = client.get(url)
        assert response.status_code == 200
        page = response.content.decode()
        for tag in INLINE_SCRIPT.findall(page):
            assert 'type="application/json"' in tag, (url, tag)
        assert not EVENT_HANDLER.search(page.replace("\n", " ")), url
