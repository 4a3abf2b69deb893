"""Corrections asked in the app: the ministry returns a filed year with one message per
point; the coordination sees each beside its line, answers, and resubmits."""

import pytest
from django.core import mail
from django.urls import reverse

from campaigns.models import CorrectionPoint
from indicators.models import YearReport
from indicators.services import year_transition
from tests.conftest import find_indicator, make_result

YEAR = 2024


@pytest.fixture
def filed(cast, seed):
    """Montérégie's 2024-2025, submitted and approved (filed until filings exist)."""
    plan = seed["monteregie"]
    make_result(find_indicator(plan, "1.1.1", "Nb de projets"), YEAR, 2)
    year_transition(plan=plan, year=YEAR, action="submit", user=cast["alice"])
    year_transition(plan=plan, year=YEAR, action="approve", user=cast["dora"])
    mail.outbox.clear()
    return plan


def ask_url(plan, year=YEAR):
    return reverse("campaigns:corrections_ask", args=[plan.pk, year])


def page_url(plan, year=YEAR):
    return reverse("campaigns:corrections", args=[plan.pk, year])


def points_data(*points):
    data = {"form-TOTAL_FORMS": "3", "form-INITIAL_FORMS": "0"}
    for i, (subject, message) in enumerate(points):
        data[f"form-{i}-subject"] = subject
        data[f"form-{i}-message"] = message
    return data


def state(plan, year=YEAR):
    return YearReport.objects.get(plan=plan, year=year).state


@pytest.fixture
def asked(client, cast, filed, django_capture_on_commit_callbacks):
    indicator = find_indicator(filed, "1.1.1", "Nb de projets")
    client.force_login(cast["mina"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(ask_url(filed), points_data(
            (f"i{indicator.pk}", "Le nombre ne correspond pas au registre."),
            ("tout", "Joindre le bilan signé.")))
    assert response.status_code == 302
    return indicator


def test_ministry_asks_for_corrections_point_by_point(client, cast, filed, asked):
    assert state(filed) == "draft"
    points = list(CorrectionPoint.objects.order_by("id"))
    assert [(p.indicator, p.action, p.message) for p in points] == [
        (asked, None, "Le nombre ne correspond pas au registre."),
        (None, None, "Joindre le bilan signé.")]
    transition = points[0].asked_in
    assert (transition.action, transition.by, transition.from_state, transition.to_state) == (
        "correct", cast["mina"], "approved", "draft")
    assert "Le nombre ne correspond pas au registre." in transition.comment
    # Who is told comes from the workflow table: the coordination and the direction.
    assert [sorted(m.to) for m in mail.outbox] == [["alice@example.org", "dora@example.org"]]
    assert "Joindre le bilan signé." in mail.outbox[0].body
    assert page_url(filed) in mail.outbox[0].body


def test_the_ask_page_lists_the_whole_year_actions_and_indicators(client, cast, filed,
                                                                  django_assert_num_queries):
    client.force_login(cast["mina"])
    client.get(ask_url(filed))
    # Session, user, membership, plan, year report, actions, indicators.
    with django_assert_num_queries(7):
        response = client.get(ask_url(filed))
        assert response.status_code == 200
    choices = dict(response.context["formset"].forms[0].fields["subject"].choices)
    indicator = find_indicator(filed, "1.1.1", "Nb de projets")
    assert "tout" in choices and f"i{indicator.pk}" in choices
    assert any(key.startswith("a") for key in choices if key != "tout")


@pytest.mark.parametrize("person, status", [("alice", 403), ("dora", 403), ("quentin", 404),
                                            ("diane", 404), ("nobody", 404)])
def test_only_the_ministry_asks_for_corrections(client, cast, filed, person, status):
    client.force_login(cast[person])
    assert client.get(ask_url(filed)).status_code == status
    response = client.post(ask_url(filed), points_data(("tout", "Tout revoir")))
    assert response.status_code == status
    assert state(filed) == "approved" and not CorrectionPoint.objects.exists()


@pytest.mark.parametrize("points, error", [
    ([], "Indiquez au moins un point à corriger."),
    ([("tout", "")], "Écrivez la correction demandée."),
    ([("", "Sans objet")], "Choisissez ce que la correction concerne."),
    ([("i987654", "Inconnu")], None),
])
def test_invalid_points_are_refused_and_shown_again(client, cast, filed, points, error):
    client.force_login(cast["mina"])
    response = client.post(ask_url(filed), points_data(*points))
    assert response.status_code == 400
    if error:
        assert error in response.content.decode()
    assert state(filed) == "approved" and not CorrectionPoint.objects.exists()


def test_corrections_are_asked_only_on_a_filed_year(client, cast, seed):
    plan = seed["monteregie"]
    year_transition(plan=plan, year=YEAR, action="submit", user=cast["alice"])
    client.force_login(cast["mina"])
    response = client.get(ask_url(plan))
    assert response.status_code == 200 and 'data-testid="not-filed"' in response.content.decode()
    response = client.post(ask_url(plan), points_data(("tout", "Tout revoir")))
    assert response.status_code == 409 and state(plan) == "submitted"


def test_the_coordinator_sees_each_point_beside_its_line(client, cast, filed, asked):
    client.force_login(cast["alice"])
    response = client.get(reverse("indicators:entry", args=[filed.pk, YEAR]))
    assert response.status_code == 200
    html = response.content.decode()
    line = html[html.index(f'data-indicator="{asked.pk}"'):]
    line = line[:line.index("</fieldset>")]
    assert "Le nombre ne correspond pas au registre." in line and "Répondre" in line
    panel = html[html.index('data-testid="corrections-asked"'):]
    assert "2 corrections demandées par le ministère" in panel
    assert "Joindre le bilan signé." in panel[:panel.index("</section>")]
    assert page_url(filed) in html
    # The director's dashboard links them too.
    client.force_login(cast["dora"])
    html = client.get(reverse("reporting:pole", args=[filed.pk]) + f"?annee={YEAR}"
                      ).content.decode()
    assert 'data-testid="corrections-link"' in html


def test_coordinator_answers_each_point_then_resubmits(client, cast, filed, asked):
    points = list(CorrectionPoint.objects.order_by("id"))
    client.force_login(cast["alice"])
    for point, answer in zip(points, ["Corrigé : 3 projets.", "Bilan joint."], strict=True):
        response = client.post(reverse("campaigns:correction_answer", args=[point.pk]),
                               {"answer": answer})
        assert response.status_code == 302
        assert response["Location"] == page_url(filed) + f"#point-{point.pk}"
    assert [(p.answer, p.answered_by) for p in CorrectionPoint.objects.order_by("id")] == [
        ("Corrigé : 3 projets.", cast["alice"]), ("Bilan joint.", cast["alice"])]
    year_transition(plan=filed, year=YEAR, action="submit", user=cast["alice"])
    # The history shows the exchange: the asking, each answer, the resubmission.
    client.force_login(cast["mina"])
    response = client.get(page_url(filed))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Le nombre ne correspond pas au registre." in html and "Corrigé : 3 projets." in html
    assert 'name="answer"' not in html  # read only for the ministry
    entry = client.get(reverse("indicators:entry", args=[filed.pk, YEAR])).content.decode()
    assert "Approuvée → Brouillon".lower() in entry.lower() or "approuvée → brouillon" in entry


def test_corrections_page_costs_a_fixed_number_of_queries(client, cast, filed, asked,
                                                          django_assert_num_queries):
    client.force_login(cast["alice"])
    client.get(page_url(filed))
    # Session, user, membership, plan, year report, the points with their subjects.
    with django_assert_num_queries(6):
        response = client.get(page_url(filed))
        assert response.status_code == 200
        assert len(response.context["rounds"][0][1]) == 2


@pytest.mark.parametrize("person, status", [("dora", 403), ("mina", 403), ("quentin", 404),
                                            ("diane", 404)])
def test_only_the_coordination_answers(client, cast, filed, asked, person, status):
    point = CorrectionPoint.objects.first()
    client.force_login(cast[person])
    response = client.post(reverse("campaigns:correction_answer", args=[point.pk]),
                           {"answer": "Fait."})
    assert response.status_code == status
    point.refresh_from_db()
    assert point.answer == ""


@pytest.mark.parametrize("person, status", [("alice", 200), ("dora", 200), ("mina", 200),
                                            ("quentin", 404), ("diane", 404)])
def test_the_exchange_is_read_by_the_pole_and_the_ministry(client, cast, filed, asked, person,
                                                           status):
    client.force_login(cast[person])
    assert client.get(page_url(filed)).status_code == status


def test_an_empty_answer_is_refused_and_shown_again(client, cast, filed, asked):
    point = CorrectionPoint.objects.first()
    client.force_login(cast["alice"])
    response = client.post(reverse("campaigns:correction_answer", args=[point.pk]),
                           {"answer": "   "})
    assert response.status_code == 400
    html = response.content.decode()
    # An error summary (focused by the page's script) links to the point's box, which says
    # it is in error and is described by its message.
    summary = html[html.index('data-testid="error-summary"'):]
    summary = summary[:summary.index("</div>")]
    assert f'<a href="#answer-{point.pk}">Réponse : Écrivez la réponse.</a>' in summary
    assert (f'id="answer-{point.pk}" rows="2" aria-invalid="true" '
            f'aria-describedby="answer-{point.pk}-error"') in html
    assert f'<div class="error" id="answer-{point.pk}-error"><p>Écrivez la réponse.</p>' in html


def test_answers_are_locked_once_the_year_is_resubmitted(client, cast, filed, asked):
    year_transition(plan=filed, year=YEAR, action="submit", user=cast["alice"])
    point = CorrectionPoint.objects.first()
    client.force_login(cast["alice"])
    response = client.post(reverse("campaigns:correction_answer", args=[point.pk]),
                           {"answer": "Trop tard"})
    assert response.status_code == 409
    point.refresh_from_db()
    assert point.answer == ""


def test_a_second_round_shows_only_its_own_points_beside_the_lines(client, cast, filed, asked,
                                                                   django_capture_on_commit_callbacks):
    year_transition(plan=filed, year=YEAR, action="submit", user=cast["alice"])
    year_transition(plan=filed, year=YEAR, action="approve", user=cast["dora"])
    client.force_login(cast["mina"])
    client.post(ask_url(filed), points_data(("tout", "Deuxième demande")))
    client.force_login(cast["alice"])
    html = client.get(reverse("indicators:entry", args=[filed.pk, YEAR])).content.decode()
    line = html[html.index(f'data-indicator="{asked.pk}"'):]
    assert "Le nombre ne correspond pas" not in line[:line.index("</fieldset>")]
    panel = html[html.index('data-testid="corrections-asked"'):]
    assert "Deuxième demande" in panel[:panel.index("</section>")]
    assert len(client.get(page_url(filed)).context["rounds"]) == 2
