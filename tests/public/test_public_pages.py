"""The public page per pôle and its index: approved years only, nothing of a draft, no
comment, evidence, name or typed reason; cache headers; the director publishes."""

import re

import pytest
from django.urls import reverse

from tests.public.conftest import SECRETS

pytestmark = pytest.mark.django_db


def test_the_index_lists_published_poles_only(client, published, seed):
    response = client.get(reverse("public:index"))
    assert response.status_code == 200
    page = response.content.decode()
    assert reverse("public:pole", args=["monteregie"]) in page
    assert seed["quebec"].pole.name not in page


def test_the_login_page_and_the_top_bar_link_to_the_index(client, cast):
    index = reverse("public:index")
    assert f'href="{index}" data-testid="login-public"' in client.get(
        reverse("login")).content.decode()
    client.force_login(cast["alice"])
    assert f'href="{index}" data-testid="nav-public"' in client.get(
        reverse("indicators:home"), follow=True).content.decode()


def test_a_pole_that_does_not_publish_answers_404_for_its_page_and_data(client, published):
    for name in ("public:pole", "public:pole_csv", "public:pole_json"):
        assert client.get(reverse(name, args=["pole-quebec"])).status_code == 404
        assert client.get(reverse(name, args=["inconnu"])).status_code == 404


def test_the_public_page_shows_the_approved_year_and_nothing_of_the_draft(client, published):
    response = client.get(reverse("public:pole", args=["monteregie"]))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-testid="public-year-2024"' in page
    assert "Résultats 2024-2025" in page
    assert "12,5" in page  # the approved result
    assert 'data-testid="public-year-2025"' not in page
    for secret in SECRETS:
        assert secret not in page, secret
    assert "/preuves/" not in page and "dora" not in page


def test_the_public_page_draws_the_dashboard_chart_with_its_table_without_inline_script(
        client, published):
    response = client.get(reverse("public:pole", args=["monteregie"]))
    page = response.content.decode()
    chart = re.search(r'<svg [^>]*id="chart-2024".*?</svg>', page, re.S).group(0)
    assert 'role="img"' in chart and "<title" in chart and "Atteinte" in chart  # the legend
    assert "Voir les données en tableau" in page
    assert "plotly" not in page and "charts.js" not in page  # drawn without a script
    scripts = re.findall(r"<script([^>]*)>", page)
    assert all("src=" in attrs for attrs in scripts)
    assert "script-src 'self'" in response["Content-Security-Policy"]


def test_a_published_pole_without_an_approved_year_shows_its_plan_only(client, seed, cast):
    from indicators.services import pole_publish

    pole_publish(pole=seed["quebec"].pole, public=True, user=cast["sam"])
    response = client.get(reverse("public:pole", args=["pole-quebec"]))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-testid="no-approved-year"' in page
    assert "<svg" not in page  # no approved year: no chart
    assert "public-year-" not in page


def test_anonymous_pages_may_be_cached_publicly_and_vary_by_language_and_cookie(
        client, published, settings):
    for url in (reverse("public:index"), reverse("public:pole", args=["monteregie"]),
                reverse("public:pole_csv", args=["monteregie"])):
        response = client.get(url)
        assert response.status_code == 200
        cache = response["Cache-Control"]
        assert "public" in cache and f"max-age={settings.PUBLIC_CACHE_SECONDS}" in cache
        vary = {v.strip().lower() for v in response["Vary"].split(",")}
        assert {"accept-language", "cookie"} <= vary
        assert "csrftoken" not in response.cookies


def test_a_signed_in_persons_public_page_is_private(client, published, cast):
    client.force_login(cast["alice"])
    response = client.get(reverse("public:pole", args=["monteregie"]))
    assert response.status_code == 200
    assert "private" in response["Cache-Control"] and "public" not in response[
        "Cache-Control"].replace("private", "")


def test_public_pages_refuse_a_post(client, published):
    assert client.post(reverse("public:pole", args=["monteregie"])).status_code == 405


def test_the_public_page_costs_a_fixed_number_of_queries(client, published,
                                                         django_assert_num_queries):
    # pôle, plans, approved years, six for the approved years' progress, four for the
    # plan's structure, the actions' states, the latest filings with their PDF.
    with django_assert_num_queries(15):
        response = client.get(reverse("public:pole", args=["monteregie"]))
        assert response.status_code == 200


def test_the_index_costs_one_query(client, published, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert client.get(reverse("public:index")).status_code == 200


# The publication page: the pôle's director (and staff) choose; others may not.

def test_the_director_publishes_and_withdraws_the_public_page(client, seed, cast):
    pole = seed["monteregie"].pole
    url = reverse("public:publication", args=[pole.code])
    client.force_login(cast["dora"])
    assert client.get(url).status_code == 200
    response = client.post(url, {"public": "on"})
    assert response.status_code == 302
    pole.refresh_from_db()
    assert pole.public
    assert client.get(reverse("public:pole", args=[pole.code])).status_code == 200
    client.post(url, {})
    pole.refresh_from_db()
    assert not pole.public
    assert client.get(reverse("public:pole", args=[pole.code])).status_code == 404


def test_the_pole_dashboard_links_its_director_to_the_publication_page(client, seed, cast):
    plan = seed["monteregie"]
    client.force_login(cast["dora"])
    page = client.get(reverse("reporting:pole", args=[plan.pk])).content.decode()
    assert reverse("public:publication", args=[plan.pole.code]) in page
    client.force_login(cast["alice"])
    page = client.get(reverse("reporting:pole", args=[plan.pk])).content.decode()
    assert reverse("public:publication", args=[plan.pole.code]) not in page


@pytest.mark.parametrize("role", ["alice", "mina"])
def test_a_read_only_role_gets_403_on_the_publication_page(client, seed, cast, role):
    pole = seed["monteregie"].pole
    client.force_login(cast[role])
    url = reverse("public:publication", args=[pole.code])
    assert client.get(url).status_code == 403
    assert client.post(url, {"public": "on"}).status_code == 403
    pole.refresh_from_db()
    assert not pole.public


def test_the_director_of_another_pole_gets_404_on_the_publication_page(client, seed, cast):
    client.force_login(cast["diane"])
    url = reverse("public:publication", args=["monteregie"])
    assert client.get(url).status_code == 404
    assert client.post(url, {"public": "on"}).status_code == 404


def test_anonymous_is_sent_to_log_in_for_the_publication_page(client, seed):
    response = client.get(reverse("public:publication", args=["monteregie"]))
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_the_demo_publishes_monteregie(seed):
    from public.demo import demo_load

    demo_load([seed["monteregie"], seed["quebec"]])
    seed["monteregie"].pole.refresh_from_db()
    seed["quebec"].pole.refresh_from_db()
    assert seed["monteregie"].pole.public and not seed["quebec"].pole.public
