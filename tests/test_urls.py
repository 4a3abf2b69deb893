"""No URL answers 500: every route, with malformed values, for every role.

The walk iterates the project's resolver (admin included), so a route added later is walked
too. Each parameter in turn gets a malformed value (letters, a number too big for any column,
a negative, an unknown id, a NUL byte, a year outside every plan) while the others keep a
valid one; routes without parameters get malformed query parameters instead.
"""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.resolvers import RegexPattern, RoutePattern

from indicators.models import Result
from tests.conftest import find_indicator

MALFORMED = ["abc", "9" * 25, "-1", "987654", "%00", "1999"]
BAD_QUERY = "?annee=abc&orientation=99999999999999999999999&statut=x&liste=y&format=zip"
REFUSED = {302, 400, 403, 404, 405}  # 405: a POST-only route asked with GET, and vice versa
# A reset link with a wrong token is a page that says the link is invalid.
ALSO_ALLOWED = {"password_reset_confirm": {200}}
ROLES = ["anonymous", "alice", "dora", "mina", "quentin", "sam", "nobody"]
_ROUTE_PARAM = re.compile(r"<(?:[^>:]+:)?(?P<name>[^>]+)>")


def _regex_template(regex: str) -> tuple[str, list[str]]:
    """A regex route as text with ``{}`` for each top-level group, and the group names."""
    regex = regex.removeprefix("^").removesuffix("$")
    out, names, depth, name = [], [], 0, ""
    i = 0
    while i < len(regex):
        ch = regex[i]
        if ch == "\\":
            if depth == 0:
                out.append(regex[i + 1])
            i += 2
            continue
        if ch == "(":
            if depth == 0:
                match = re.match(r"\(\?P<([^>]+)>", regex[i:])
                name = match.group(1) if match else f"group{len(names)}"
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth == 0:
                out.append("{}")
                names.append(name)
        elif depth == 0:
            out.append(ch)
        i += 1
    return "".join(out).removeprefix("^").removesuffix("$"), names


def _template(pattern) -> tuple[str, list[str]]:
    if isinstance(pattern, RoutePattern):
        route = str(pattern._route)
        return _ROUTE_PARAM.sub("{}", route.replace("{", "{{").replace("}", "}}")), \
            _ROUTE_PARAM.findall(route)
    assert isinstance(pattern, RegexPattern)
    return _regex_template(pattern.regex.pattern)


def all_routes(resolver: URLResolver | None = None, prefix=("", [])):
    """Every route as (name, template, parameter names), walking included resolvers."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        template, names = _template(entry.pattern)
        joined = (prefix[0] + template, prefix[1] + names)
        if isinstance(entry, URLResolver):
            yield from all_routes(entry, joined)
        else:
            assert isinstance(entry, URLPattern)
            yield entry.name, joined[0], joined[1]


def test_the_walk_sees_every_route_of_the_project():
    names = {name for name, _template, _params in all_routes()}
    assert {"entry", "target_revise", "evidence", "pole", "indicator", "national_export",
            "password_reset_confirm", "app_list"} <= names
    assert len(list(all_routes())) > 100  # the admin's routes are walked too


@pytest.fixture
def valid(seed, cast):
    plan = seed["monteregie"]
    indicator = find_indicator(plan, "1.1.1", "Nb de projets")
    result = Result.objects.create(indicator=indicator, year=2024, value=1)
    return {"plan_id": plan.pk, "year": 2025, "indicator_id": indicator.pk,
            "result_id": result.pk, "object_id": result.pk, "uidb64": "MQ", "token": "x-y",
            "app_label": "indicators", "url": "rien/"}


def _urls(valid):
    for name, template, params in all_routes():
        if not params:
            yield name, "/" + template.format() + BAD_QUERY, ("GET",)
            continue
        for position in range(len(params)):
            for bad in MALFORMED:
                values = [bad if i == position else str(valid.get(param, 1))
                          for i, param in enumerate(params)]
                yield name, "/" + template.format(*values), ("GET", "POST")


@pytest.mark.parametrize("role", ROLES)
def test_no_route_answers_500_to_malformed_values(role, cast, valid):
    client = Client(raise_request_exception=False)
    if role != "anonymous":
        client.force_login(cast[role])
    failures = []
    for name, url, methods in _urls(valid):
        for method in methods:
            response = getattr(client, method.lower())(url)
            allowed = REFUSED | ALSO_ALLOWED.get(name, set()) | (
                {200} if method == "GET" and "?" in url else set())
            if response.status_code not in allowed:
                failures.append(f"{method} {url} ({name}) → {response.status_code}")
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("year", ["abc", "-1", "20245", "1999", "99999999999999999999"])
def test_a_target_year_that_is_not_a_plan_year_is_404(client, cast, valid, year):
    client.force_login(cast["dora"])
    response = client.get(f"/indicateurs/{valid['indicator_id']}/cible/{year}/")
    assert response.status_code == 404


def test_the_period_and_plan_years_still_route_to_the_revision_page(client, cast, valid):
    client.force_login(cast["dora"])
    assert client.get(reverse("indicators:target_revise",
                              args=[valid["indicator_id"], "periode"])).status_code == 200
    assert client.get(reverse("indicators:target_revise",
                              args=[valid["indicator_id"], 2025])).status_code == 200


@pytest.mark.parametrize("annee", ["1999", "abc", "2024-2025"])
def test_an_unknown_year_in_the_dashboard_is_said_not_silently_replaced(
        client, cast, valid, annee):
    client.force_login(cast["dora"])
    response = client.get(reverse("reporting:pole", args=[valid["plan_id"]]),
                          {"annee": annee})
    assert response.status_code == 200
    page = response.content.decode()
    assert (f"L&#x27;année « {annee} » n&#x27;est pas une année de ce plan : voici "
            in page)
    client.force_login(cast["mina"])
    response = client.get(reverse("reporting:national"), {"annee": annee})
    assert response.status_code == 200
    assert "n&#x27;est pas une année de ce plan" in response.content.decode()


def test_a_known_year_shows_no_such_message(client, cast, valid):
    client.force_login(cast["dora"])
    response = client.get(reverse("reporting:pole", args=[valid["plan_id"]]),
                          {"annee": "2024"})
    assert response.status_code == 200
    assert "n&#x27;est pas une année de ce plan" not in response.content.decode()


def test_an_export_for_an_unknown_year_is_404_not_another_year(client, cast, valid):
    client.force_login(cast["dora"])
    response = client.get(reverse("reporting:pole_export", args=[valid["plan_id"]]),
                          {"annee": "1999"})
    assert response.status_code == 404
    client.force_login(cast["mina"])
    assert client.get(reverse("reporting:national_export"),
                      {"annee": "abc"}).status_code == 404


def test_after_an_unknown_year_the_download_link_carries_the_year_shown(client, cast, valid):
    client.force_login(cast["dora"])
    response = client.get(reverse("reporting:pole", args=[valid["plan_id"]]),
                          {"annee": "1999", "statut": "atteinte"})
    assert response.status_code == 200
    year = response.context["year"]
    link = response.content.decode().split('data-testid="export-xlsx"', 1)[0].rsplit(
        'href="', 1)[1]
    assert f"annee={year}" in link and "1999" not in link
    assert client.get(link.replace("&amp;", "&")).status_code == 200
