"""Every link a person can click works: rendered pages of every role are walked, each
``<a href>`` is followed, year links land on that year, and no year is printed with a
thousands separator (``2 024``)."""

import re
from html.parser import HTMLParser
from urllib.parse import parse_qs, urljoin, urlsplit

import pytest
from django.urls import reverse

from indicators.models import fiscal_year_label
from indicators.services import year_transition
from tests.conftest import find_indicator, make_result

# A year of this century with a space of any kind inside: ``2 024``, ``2\u00a0025``…
SPLIT_YEAR = re.compile(r"\b2[\s\u00a0\u202f]0[1-4]\d\b")


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        href = dict(attrs).get("href")
        if tag == "a" and href:
            self.hrefs.append(href)


def links_of(html: str) -> list[str]:
    parser = Links()
    parser.feed(html)
    return parser.hrefs


@pytest.fixture
def results(seed, cast):
    plan = seed["monteregie"]
    make_result(find_indicator(plan, "1.1.1", "Nb de projets"), 2024, 2)
    make_result(find_indicator(plan, "1.1.4", "Nb de rencontres"), 2024, 10)
    make_result(find_indicator(plan, "1.1.4", "Nb de rencontres"), 2025, 2400)
    year_transition(plan=plan, year=2024, action="submit", user=cast["alice"])


def start_pages(seed, role: str) -> list[str]:
    """The pages each role reaches from the menu, for every year of the plans."""
    mont, queb = seed["monteregie"], seed["quebec"]
    indicator = find_indicator(mont, "1.1.4", "Nb de rencontres")
    pages = [reverse("reporting:national"), reverse("reporting:indicator", args=[indicator.pk])]
    plans = [mont, queb] if role in ("mina", "sam") else [mont]
    for plan in plans:
        pages.append(reverse("reporting:pole", args=[plan.pk]))
        for year in plan.years:
            pages.append(reverse("reporting:pole", args=[plan.pk]) + f"?annee={year}")
            pages.append(reverse("reporting:national") + f"?annee={year}")
            if role != "mina":
                pages.append(reverse("indicators:entry", args=[plan.pk, year]))
    if role in ("dora", "sam"):
        pages.append(reverse("indicators:target_revise", args=[indicator.pk, 2025]))
    return pages


def _check_year_link(href: str, response) -> None:
    year = parse_qs(urlsplit(href).query).get("annee")
    if not year:
        return
    (year,) = year
    assert year.isdigit(), f"{href}: the year is localised"
    label = fiscal_year_label(int(year))
    disposition = response.get("Content-Disposition", "")
    if disposition:
        assert label in disposition, f"{href} downloads {disposition}"
    else:
        assert response.context["year"] == int(year), f"{href} shows another year"
        assert label in response.content.decode()


@pytest.mark.parametrize("role", ["alice", "dora", "mina", "sam"])
def test_every_link_on_every_page_answers_200_and_keeps_its_year(client, cast, seed, results,
                                                                  role):
    client.force_login(cast[role])
    followed: set[str] = set()
    for page in start_pages(seed, role):
        response = client.get(page)
        assert response.status_code == 200, page
        html = response.content.decode()
        assert not SPLIT_YEAR.search(html), f"{page}: {SPLIT_YEAR.search(html).group()!r}"
        for href in links_of(html):
            url = urljoin(f"http://testserver{page}", href)
            parts = urlsplit(url)
            if parts.netloc != "testserver" or url in followed:
                continue
            followed.add(url)
            target = parts.path + (f"?{parts.query}" if parts.query else "")
            linked = client.get(target, follow=True)  # « Mon pôle » sends each role on
            assert linked.status_code == 200, f"{page} → {href}: {linked.status_code}"
            _check_year_link(href, linked)
            if not linked.get("Content-Disposition") and "text/html" in linked["Content-Type"]:
                body = linked.content.decode()
                assert not SPLIT_YEAR.search(body), f"{target}: a year with a separator"
    assert len(followed) > 20


def test_year_links_are_never_localised(client, cast, seed):
    client.force_login(cast["mina"])
    response = client.get(reverse("reporting:national"))
    assert response.status_code == 200
    year_links = [h for h in links_of(response.content.decode()) if "annee=" in h]
    assert year_links
    assert all(re.search(r"annee=20\d\d(&|$)", h) for h in year_links), year_links


def test_indicator_page_prints_years_without_a_thousands_separator(client, cast, seed):
    indicator = find_indicator(seed["monteregie"], "1.1.4", "Nb de rencontres")
    client.force_login(cast["dora"])
    response = client.get(reverse("reporting:indicator", args=[indicator.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert ">2024-2025</th>" in html
    assert not SPLIT_YEAR.search(html)


def test_split_year_pattern_catches_a_localised_year():
    assert SPLIT_YEAR.search("2\u00a0024-2\u00a0025")
    assert SPLIT_YEAR.search("annee=2 025")
    assert not SPLIT_YEAR.search("2024-2025 · 80 000 vues · 2 400")
