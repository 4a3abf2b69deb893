"""English (a start of issue 28's item 3): the public pages and the top bar read in English
when English is chosen (the switcher's cookie) or asked for by the browser; French stays
the default."""

import pytest
from django.conf import settings
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_public_page_reads_in_english_when_english_is_chosen(client, published):
    response = client.post(reverse("set_language"),
                           {"language": "en", "next": reverse("public:index")})
    assert response.status_code == 302
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    response = client.get(reverse("public:pole", args=["monteregie"]))
    assert response.status_code == 200
    page = response.content.decode()
    assert '<html lang="en-CA">' in page
    for english in ("Results 2024-2025", "Approved year", "Key figures", "Target as read",
                    "1 of the 1 annual targets measured (100%) were met.",
                    "Degree of achievement", "See the data as a table", "Published pôles",
                    "Open data", "Indicators by status", ": 1 met</title>", ">Not assessable<"):
        assert english in page, english
    assert "12.5" in page  # the approved result, with an English decimal point
    for french in ("Résultats 2024-2025", "Chiffres clés", "Voir les données en tableau",
                   "Cible lue comme", "12,5"):
        assert french not in page, french


def test_an_anonymous_browser_asking_for_english_gets_english(client, published):
    response = client.get(reverse("public:index"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert "Published pôles" in response.content.decode()
    assert response["Content-Language"] == "en"


def test_french_stays_the_default_and_reads_as_before(client, published):
    page = client.get(reverse("public:pole", args=["monteregie"])).content.decode()
    assert '<html lang="fr-CA">' in page
    assert "Résultats 2024-2025" in page and "12,5" in page
    page = client.get(reverse("public:index"),
                      HTTP_ACCEPT_LANGUAGE="fr-CA,fr;q=0.9,en;q=0.5").content.decode()
    assert "Pôles publiés" in page


def test_the_language_switcher_is_in_the_top_bar_and_needs_no_cookie(client, published):
    response = client.get(reverse("login"))
    page = response.content.decode()
    assert 'data-testid="language-switcher"' in page
    assert 'name="language" value="en" class="link" lang="en">English<' in page


def test_open_data_files_hold_the_same_bytes_whatever_the_visitors_language(client, published):
    url = reverse("public:pole_csv", args=["monteregie"])
    french = client.get(url).content
    english = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content
    assert french == english
    assert b"Atteinte" in french or b"atteinte" in french
