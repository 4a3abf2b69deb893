"""The review page of a plan read from its document: nothing is written before confirmation,
and the write is the spreadsheet import's."""

import html

import pytest
from django.urls import reverse

from indicators.models import Indicator, Membership, Target, YearReport
from indicators.workflow import State
from tests.conftest import make_plan, make_user

PASTED = ("ORIENTATION 1\tEnrichir la petite enfance\n"
          "OBJECTIFS\tACTIONS\tINDICATEURS\t24-25\t25-26\t26-27\n"
          "1.1 Soutenir\t1.1.1 Soutien à des projets\tNb de projets; Nb d'établissements*\t"
          "1 Min 2\t1 Min 2\t1 Min 3\n"
          "\t1.1.2 Exploration\tProduction d'un état de situation; Nouveaux partenariats\t"
          "1 1\t2\t3\n"
          "*Selon le cas, Nb d'étudiants.\n")


@pytest.fixture
def new_plan(cast):
    plan = make_plan("neuf", first_year=2024, last_year=2026)
    director = make_user("nadia", Membership.Role.DIRECTOR, plan.pole)
    return plan, director


def upload_url(plan):
    return reverse("indicators:plan_document", args=[plan.pk])


def review_url(plan):
    return reverse("indicators:plan_document_review", args=[plan.pk])


def review_data(response, **overrides) -> dict:
    """The review form as shown, with ``overrides`` (``rows-3-target_2025`` → text)."""
    formset = response.context["formset"]
    data = {f"rows-{key}": value for key, value in formset.management_form.initial.items()}
    for form in formset.forms:
        for name in form.fields:
            value = form.initial.get(name, "")
            if name == "drop":
                if value:
                    data[f"{form.prefix}-{name}"] = "on"
                continue
            data[f"{form.prefix}-{name}"] = value
    data.update(overrides)
    return data


def indicators_of(plan):
    return Indicator.objects.filter(action__objective__orientation__plan=plan)


def targets_of(plan):
    return Target.objects.filter(indicator__action__objective__orientation__plan=plan)


def test_director_pastes_a_table_reviews_it_and_nothing_is_written_before_confirmation(
        client, new_plan):
    plan, director = new_plan
    client.force_login(director)
    response = client.post(upload_url(plan), {"pasted": PASTED})
    assert response.status_code == 302
    response = client.get(review_url(plan))
    assert response.status_code == 200
    page = response.content.decode()
    assert "1 Min 2" in page  # the source cell beside the target
    assert "au moins 2" in page  # its reading
    assert page.count('data-testid="flagged-target"') == 4  # 3.1.2: one value, two indicators
    assert not indicators_of(plan).exists()


def test_confirming_with_targets_to_decide_is_refused_and_writes_nothing(client, new_plan):
    plan, director = new_plan
    client.force_login(director)
    client.post(upload_url(plan), {"pasted": PASTED})
    response = client.get(review_url(plan))
    response = client.post(review_url(plan), {**review_data(response), "action": "confirm"})
    assert response.status_code == 200
    assert response.context["confirm_error"]
    assert not indicators_of(plan).exists()


def test_director_settles_the_doubts_drops_a_row_and_the_import_writes_the_plan(client,
                                                                               new_plan):
    plan, director = new_plan
    client.force_login(director)
    client.post(upload_url(plan), {"pasted": PASTED})
    response = client.get(review_url(plan))
    data = review_data(response, **{
        "rows-2-target_2025": "—", "rows-2-target_2026": "—",
        "rows-3-target_2025": "2", "rows-3-target_2026": "3",
        "rows-1-label": "Nb d'établissements partenaires", "rows-0-drop": "on"})
    response = client.post(review_url(plan), {**data, "action": "confirm"})
    assert response.status_code == 302, response.context and response.context["confirm_error"]
    assert response.url == reverse("reporting:pole", args=[plan.pk])
    labels = sorted(indicators_of(plan).values_list("label", flat=True))
    assert labels == ["Nb d'établissements partenaires", "Nouveaux partenariats",
                      "Production d'un état de situation"]
    partners = targets_of(plan).filter(indicator__label="Nouveaux partenariats")
    assert sorted(partners.values_list("year", "text")) == [(2024, "1"), (2025, "2"),
                                                           (2026, "3")]
    establishments = targets_of(plan).get(indicator__label__startswith="Nb d'établ", year=2026)
    assert establishments.text == "Min 3"
    assert "Selon le cas" in establishments.note


def test_a_correction_the_grammar_cannot_read_stays_flagged(client, new_plan):
    plan, director = new_plan
    client.force_login(director)
    client.post(upload_url(plan), {"pasted": PASTED})
    response = client.get(review_url(plan))
    response = client.post(review_url(plan), {
        **review_data(response, **{"rows-3-target_2025": "beaucoup"}), "action": "update"})
    response = client.get(review_url(plan))
    assert "« beaucoup » n'est pas lisible" in html.unescape(response.content.decode())


def test_empty_upload_is_refused_with_a_message(client, new_plan):
    plan, director = new_plan
    client.force_login(director)
    response = client.post(upload_url(plan), {"pasted": ""})
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()


def test_a_paste_without_a_plan_table_is_refused(client, new_plan):
    plan, director = new_plan
    client.force_login(director)
    response = client.post(upload_url(plan), {"pasted": "bonjour\tmonde\n"})
    assert "Aucun tableau de plan" in response.content.decode()


def test_coordinator_gets_403_and_another_pole_gets_404(client, cast, seed):
    plan = seed["monteregie"]
    client.force_login(cast["alice"])
    assert client.get(upload_url(plan)).status_code == 403
    assert client.get(review_url(plan)).status_code == 403
    client.force_login(cast["diane"])
    assert client.get(upload_url(plan)).status_code == 404
    assert client.post(upload_url(plan), {"pasted": PASTED}).status_code == 404


def test_staff_may_import_a_document(client, cast, new_plan):
    plan, _director = new_plan
    client.force_login(cast["sam"])
    assert client.post(upload_url(plan), {"pasted": PASTED}).status_code == 302


def test_review_without_a_document_sends_back_to_the_upload(client, new_plan):
    plan, director = new_plan
    client.force_login(director)
    response = client.get(review_url(plan))
    assert response.status_code == 302
    assert response.url == upload_url(plan)


def test_the_dashboard_links_the_director_to_the_document_import(client, cast, seed):
    plan = seed["monteregie"]
    client.force_login(cast["dora"])
    page = client.get(reverse("reporting:pole", args=[plan.pk])).content.decode()
    assert upload_url(plan) in page
    client.force_login(cast["alice"])
    page = client.get(reverse("reporting:pole", args=[plan.pk])).content.decode()
    assert upload_url(plan) not in page


# --- a revised document onto an existing plan ---------------------------------------------

REVISED = ("ORIENTATION 1\tEnrichir la petite enfance\n"
           "OBJECTIFS\tACTIONS\tINDICATEURS\t24-25\t25-26\t26-27\n"
           "1.1 Soutenir\t1.1.1 Soutien\tNb de projets; Nb de rencontres\t1 5\t{y25} 5\t1 5\n")


def _import(client, plan, text):
    client.post(upload_url(plan), {"pasted": text})
    response = client.get(review_url(plan))
    return client.post(review_url(plan), {**review_data(response), "action": "confirm"})


def test_a_revised_document_shows_its_differences_before_anything_changes(client, new_plan):
    plan, director = new_plan
    client.force_login(director)
    assert _import(client, plan, REVISED.format(y25="1")).status_code == 302
    revised = REVISED.format(y25="4").replace("Nb de rencontres", "Nb de rencontres tenues")
    client.post(upload_url(plan), {"pasted": revised})
    page = html.unescape(client.get(review_url(plan)).content.decode())
    assert "Nb de rencontres → 1.1.1 Nb de rencontres tenues" in page
    assert "« 1 » → « 4 »" in page
    assert targets_of(plan).get(indicator__label="Nb de projets", year=2025).text == "1"


def test_a_revised_document_cannot_change_a_locked_year(client, new_plan):
    plan, director = new_plan
    client.force_login(director)
    assert _import(client, plan, REVISED.format(y25="1")).status_code == 302
    YearReport.objects.create(plan=plan, year=2025, state=State.APPROVED)
    client.post(upload_url(plan), {"pasted": REVISED.format(y25="4")})
    response = client.get(review_url(plan))
    assert response.context["refusals"]
    response = client.post(review_url(plan), {**review_data(response), "action": "confirm"})
    assert response.status_code == 200
    assert targets_of(plan).get(indicator__label="Nb de projets", year=2025).text == "1"


def test_a_refused_review_has_an_error_summary_naming_the_line_and_linking_to_the_box(
        client, new_plan):
    plan, director = new_plan
    client.force_login(director)
    client.post(upload_url(plan), {"pasted": PASTED})
    response = client.get(review_url(plan))
    assert 'data-testid="error-summary"' not in response.content.decode()
    line = response.context["lines"][1][0].line
    response = client.post(review_url(plan), {
        **review_data(response, **{"rows-1-label": "  "}), "action": "update"})
    assert response.status_code == 200
    page = html.unescape(response.content.decode())
    summary = page[page.index('data-testid="error-summary"'):]
    summary = summary[:summary.index("</div>")]
    assert (f'<a href="#id_rows-1-label">Ligne {line} — Indicateur : Ce champ est '
            "obligatoire.</a>") in summary
