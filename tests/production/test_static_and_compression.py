"""Production static files (collected, hashed, compressed ahead of time, cached for ever by
browsers) and gzip for the app's own text responses."""

from __future__ import annotations

import gzip
import re

import pytest
from django.core.management import call_command
from django.templatetags.static import static
from django.test import RequestFactory, override_settings
from django.urls import reverse
from whitenoise.middleware import WhiteNoiseMiddleware

from tests.conftest import find_indicator

PLOTLY = "vendor/plotly/plotly-basic.min.js"
MANIFEST = {"staticfiles": {
    "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}}


@pytest.fixture(scope="module")
def collected(tmp_path_factory):
    """collectstatic as the deployment runs it (production storage), once for the module."""
    root = tmp_path_factory.mktemp("staticfiles")
    with override_settings(STATIC_ROOT=root, STORAGES={
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"}, **MANIFEST}):
        call_command("collectstatic", interactive=False, verbosity=0)
    return root


def _served(root, path, encoding):
    """What WhiteNoise answers for ``path`` under the production settings (no finders)."""
    with override_settings(STATIC_ROOT=root, WHITENOISE_USE_FINDERS=False, DEBUG=False,
                           STORAGES={"default": {"BACKEND":
                                                 "django.core.files.storage.FileSystemStorage"},
                                     **MANIFEST}):
        middleware = WhiteNoiseMiddleware(lambda request: pytest.fail(f"{path} not served"))
        url = static(PLOTLY) if path is None else path
        return url, middleware(RequestFactory().get(url, HTTP_ACCEPT_ENCODING=encoding))


def test_collected_plotly_is_hashed_precompressed_and_cached_for_ever(collected):
    url, response = _served(collected, None, "gzip, deflate, br")
    assert re.fullmatch(r"/static/vendor/plotly/plotly-basic\.min\.[0-9a-f]{12}\.js", url)
    assert response.status_code == 200
    assert response["Content-Encoding"] == "br"
    assert response["Cache-Control"] == "max-age=315360000, public, immutable"
    assert int(response["Content-Length"]) < 400_000  # 1.1 MB raw
    _url, plain = _served(collected, None, "gzip")
    assert plain["Content-Encoding"] == "gzip"
    assert (collected / f"{url.removeprefix('/static/')}.gz").exists()


def test_an_unhashed_static_name_is_not_cached_for_ever(collected):
    _url, response = _served(collected, f"/static/{PLOTLY}", "gzip")
    assert response.status_code == 200
    assert "immutable" not in response["Cache-Control"]


def test_a_chart_page_under_production_storage_links_the_hashed_bundle_deferred(
        collected, client, cast, seed):
    client.force_login(cast["dora"])
    with override_settings(STATIC_ROOT=collected, STORAGES={
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"}, **MANIFEST}):
        # The indicator page draws a Plotly figure (the dashboards' bars are inline SVG).
        indicator = find_indicator(seed["monteregie"], "1.1.4", "Nb de rencontres")
        page = client.get(reverse("reporting:indicator", args=[indicator.pk])).content
    assert re.search(rb'<script src="/static/vendor/plotly/plotly-basic\.min\.[0-9a-f]{12}\.js"'
                     rb" defer>", page)


def test_a_page_is_gzipped_when_the_browser_accepts_it(client, cast, seed):
    client.force_login(cast["alice"])
    url = reverse("indicators:entry", args=[seed["monteregie"].pk, 2024])
    response = client.get(url, HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response["Vary"]
    html = gzip.decompress(response.content).decode()
    assert "<!DOCTYPE html>" in html and 'name="csrfmiddlewaretoken"' in html
    assert len(response.content) < len(html.encode()) / 4
    plain = client.get(url)
    assert "Content-Encoding" not in plain
    assert plain.content.decode().count("<form") == html.count("<form")


def test_the_csrf_token_in_a_compressed_page_changes_with_every_response(client, cast, seed):
    """Django's BREACH mitigation, on which compressing pages relies: the token in the body is
    masked anew for each response (pole_plan/compression.py)."""
    client.force_login(cast["alice"])
    url = reverse("indicators:entry", args=[seed["monteregie"].pk, 2024])
    tokens = set()
    for _ in range(3):
        html = gzip.decompress(client.get(url, HTTP_ACCEPT_ENCODING="gzip").content).decode()
        tokens |= set(re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', html))
    assert len(tokens) == 3


def test_a_workbook_is_not_compressed_again(client, cast, seed):
    client.force_login(cast["dora"])
    response = client.get(reverse("reporting:pole_export", args=[seed["monteregie"].pk])
                          + "?annee=2024", HTTP_ACCEPT_ENCODING="gzip")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "Content-Encoding" not in response
