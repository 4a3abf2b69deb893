"""The « Essayer une cible » page and the live preview of the revision form (issue 23): a
coordinator or director types a target and sees its reading, its French rendering and how a
sample result would be judged, before anything is saved."""

from django.urls import reverse

from indicators.models import Target
from tests.conftest import find_indicator

URL = reverse("indicators:target_preview")


def page(client, user, **params):
    client.force_login(user)
    return client.get(URL, params)


def test_coordinator_sees_the_reading_and_how_a_sample_result_is_judged(client, cast):
    response = page(client, cast["alice"], text="Passer de 40 à 60", sample="50")
    assert response.status_code == 200
    html = response.content.decode().replace("\u00a0", " ")
    assert "de 40 à 60" in html
    assert "50 %" in html  # the way travelled from 40 to 60
    assert "Non atteinte" in html


def test_director_tries_a_change_with_its_reference_value(client, cast):
    html = page(client, cast["dora"], text="+10 %", sample="110", reference="100"
                ).content.decode()
    assert "hausse de 10" in html and "Atteinte" in html


def test_an_unreadable_target_says_what_to_write_instead(client, cast):
    html = page(client, cast["alice"], text="Pas moins que beaucoup").content.decode()
    assert "n&#x27;est pas lisible" in html and "écrivez" in html


def test_a_bare_percent_change_on_a_rate_offers_both_wordings(client, cast):
    html = page(client, cast["alice"], text="+2 %", unit="percent").content.decode()
    assert "+2 pts" in html


def test_ministry_staff_without_a_pole_role_gets_403(client, cast):
    assert page(client, cast["mina"], text="2").status_code == 403
    assert page(client, cast["nobody"], text="2").status_code == 403


def test_an_anonymous_visitor_is_sent_to_sign_in(client, db):
    response = client.get(URL, {"text": "2"})
    assert response.status_code == 302 and "login" in response["Location"]


def test_the_partial_answers_only_the_reading(client, cast):
    response = page(client, cast["alice"], text="Jusqu'à 5", partial="1")
    html = response.content.decode()
    assert "au plus 5" in html and "<html" not in html


def test_the_revision_form_shows_the_current_targets_reading_before_saving(client, cast, seed):
    indicator = find_indicator(seed["monteregie"], "1.1.1", "Nb d'établissements")
    client.force_login(cast["dora"])
    html = client.get(reverse("indicators:target_revise", args=[indicator.pk, 2025])
                      ).content.decode()
    assert 'data-testid="target-preview-reading">au moins 2<' in html
    assert 'data-target-preview="' + URL in html


def test_a_refused_revision_shows_why_beside_the_typed_text_and_saves_nothing(client, cast,
                                                                              seed):
    indicator = find_indicator(seed["monteregie"], "1.1.1", "Nb d'établissements")
    client.force_login(cast["dora"])
    html = client.post(reverse("indicators:target_revise", args=[indicator.pk, 2025]),
                       {"text": "5 m"}).content.decode()
    assert "minutes ou mètres" in html
    assert Target.objects.get(indicator=indicator, year=2025).text == "Min 2"


def test_the_entry_page_links_to_the_preview_for_a_coordinator_only(client, cast, seed):
    entry = reverse("indicators:entry", args=[seed["monteregie"].pk, 2025])
    client.force_login(cast["alice"])
    assert URL in client.get(entry).content.decode()
    client.force_login(cast["mina"])
    assert URL not in client.get(entry).content.decode()
