"""The entry page: permissions, validation that never loses work, concurrency, locking."""

import math
from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse

from indicators.evaluations import INSERT_BATCH
from indicators.models import Result, YearReport
from indicators.services import RESULT_BATCH, year_transition
from tests.conftest import entry_data, find_indicator, make_indicator, make_plan, make_result

# Every write path leaves stored evaluations equal to a recomputation.
pytestmark = pytest.mark.usefixtures("evaluations_checked")

YEAR = 2025  # 2025-2026: closed on 2026-03-31, so unmet targets are "non atteinte"


def url(plan, year=YEAR):
    return reverse("indicators:entry", args=[plan.pk, year])


@pytest.fixture
def projects(seed):
    """Montérégie 1.1.1 « Nb de projets », target 1 each year."""
    return find_indicator(seed["monteregie"], "1.1.1", "Nb de projets")


def test_anonymous_user_is_sent_to_login(client, seed):
    response = client.get(url(seed["monteregie"]))
    assert response.status_code == 302
    assert reverse("login") in response.url


def test_coordinator_sees_the_whole_plan_with_targets(client, cast, seed):
    client.force_login(cast["alice"])
    response = client.get(url(seed["monteregie"]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Saisie des résultats 2025-2026" in page
    assert "T.1.1 Création d&#x27;un comité consultatif scientifique" in page
    assert "au moins 2" in page  # "Min 2" as understood
    assert len(response.context["page"].lines) == 79


def test_coordinator_saves_a_value_and_sees_the_status(client, cast, seed, projects):
    client.force_login(cast["alice"])
    plan = seed["monteregie"]
    response = client.post(url(plan), entry_data(plan, YEAR, **{f"i{projects.pk}-value": "3"}))
    assert response.status_code == 302
    result = Result.objects.get(indicator=projects, year=YEAR, member=None)
    assert result.value == Decimal(3)
    assert result.updated_by == cast["alice"]
    page = client.get(url(plan)).content.decode()
    assert "1 résultat enregistré." in page
    assert "Atteinte" in page and "300" in page  # 3 of a target of 1: 300 %


def test_one_save_writes_every_changed_line_and_only_those(client, cast, seed, projects):
    plan = seed["monteregie"]
    other = find_indicator(plan, "1.1.4", "Nb de rencontres")
    client.force_login(cast["alice"])
    client.post(url(plan), entry_data(plan, YEAR, **{f"i{projects.pk}-value": "1",
                                                    f"i{other.pk}-value": "25"}))
    assert Result.objects.filter(year=YEAR).count() == 2
    version = Result.objects.get(indicator=projects, year=YEAR).version
    client.post(url(plan), entry_data(plan, YEAR))  # nothing changed
    assert Result.objects.get(indicator=projects, year=YEAR).version == version


@pytest.mark.parametrize("user", ["dora", "mina"])
def test_read_only_roles_see_the_page_but_cannot_post(client, cast, seed, projects, user):
    plan = seed["monteregie"]
    client.force_login(cast[user])
    assert client.get(url(plan)).status_code == 200
    response = client.post(url(plan), entry_data(plan, YEAR, **{f"i{projects.pk}-value": "3"}))
    assert response.status_code == 403
    assert not Result.objects.filter(indicator=projects).exists()


def test_coordinator_of_another_pole_gets_404_and_nothing_changes(client, cast, seed):
    plan = seed["quebec"]
    indicator = find_indicator(plan, "O1.1.1", "Taux de satisfaction")
    client.force_login(cast["alice"])
    assert client.get(url(plan)).status_code == 404
    response = client.post(url(plan), {f"i{indicator.pk}-value": "90"})
    assert response.status_code == 404
    assert not Result.objects.filter(indicator=indicator).exists()


def test_user_without_membership_gets_404(client, cast, seed):
    client.force_login(cast["nobody"])
    assert client.get(url(seed["monteregie"])).status_code == 404


def test_year_outside_the_plan_is_404(client, cast, seed):
    client.force_login(cast["alice"])
    assert client.get(url(seed["monteregie"], 2030)).status_code == 404


@pytest.mark.parametrize(("typed", "message"), [
    ("abc", "« abc » n&#x27;est pas un nombre"),
    ("N/A", "cochez « Non applicable »"),
    ("-2", "ne peut pas être négatif"),
    ("2,5", "Un nombre entier est attendu"),
])
def test_bad_count_is_refused_next_to_its_field_and_other_values_stay(
        client, cast, seed, projects, typed, message):
    plan = seed["monteregie"]
    other = find_indicator(plan, "1.1.4", "Nb de rencontres")
    client.force_login(cast["alice"])
    response = client.post(url(plan), entry_data(plan, YEAR, **{
        f"i{projects.pk}-value": typed, f"i{other.pk}-value": "27",
        f"i{other.pk}-comment": "Rencontres du printemps"}))
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page
    assert f'id="id_i{projects.pk}-value_error"' in page
    assert 'value="27"' in page and "Rencontres du printemps" in page
    assert "Rien n&#x27;a été enregistré" in page
    assert not Result.objects.filter(year=YEAR).exists()


def test_percentage_above_100_is_refused(client, cast, seed):
    plan = seed["quebec"]
    rate = find_indicator(plan, "O1.1.1", "Taux de satisfaction")
    client.force_login(cast["quentin"])
    response = client.post(url(plan), entry_data(plan, YEAR, **{f"i{rate.pk}-value": "104"}))
    assert "Un pourcentage ne peut pas dépasser 100 %" in response.content.decode()
    assert not Result.objects.filter(indicator=rate).exists()


def test_rate_entered_as_numerator_over_denominator_keeps_both(client, cast, seed):
    plan = seed["quebec"]
    rate = find_indicator(plan, "O1.1.1", "Taux de satisfaction")
    client.force_login(cast["quentin"])
    client.post(url(plan), entry_data(plan, YEAR, **{f"i{rate.pk}-numerator": "41",
                                                    f"i{rate.pk}-denominator": "50"}))
    result = Result.objects.get(indicator=rate, year=YEAR)
    assert (result.value, result.numerator, result.denominator) == (
        Decimal(82), Decimal(41), Decimal(50))


def test_rate_inconsistent_with_its_fraction_is_refused(client, cast, seed):
    plan = seed["quebec"]
    rate = find_indicator(plan, "O1.1.1", "Taux de satisfaction")
    client.force_login(cast["quentin"])
    response = client.post(url(plan), entry_data(plan, YEAR, **{
        f"i{rate.pk}-value": "60", f"i{rate.pk}-numerator": "41",
        f"i{rate.pk}-denominator": "50"}))
    assert "ne correspond pas à 41 / 50" in response.content.decode()


def test_not_applicable_needs_a_reason_and_no_value(client, cast, seed, projects):
    plan = seed["monteregie"]
    client.force_login(cast["alice"])
    response = client.post(url(plan), entry_data(plan, YEAR, **{
        f"i{projects.pk}-not_applicable": "on"}))
    assert "Indiquez pourquoi ce résultat est non applicable." in response.content.decode()
    client.post(url(plan), entry_data(plan, YEAR, **{
        f"i{projects.pk}-not_applicable": "on",
        f"i{projects.pk}-not_applicable_reason": "Projet reporté par le partenaire"}))
    result = Result.objects.get(indicator=projects, year=YEAR)
    assert result.not_applicable and result.value is None


def test_evidence_link_must_be_a_url(client, cast, seed, projects):
    plan = seed["monteregie"]
    client.force_login(cast["alice"])
    response = client.post(url(plan), entry_data(plan, YEAR, **{
        f"i{projects.pk}-value": "1", f"i{projects.pk}-evidence_url": "pas un lien"}))
    assert "Saisissez une URL valide." in response.content.decode()
    assert not Result.objects.filter(indicator=projects).exists()


def test_additive_breakdown_cannot_exceed_the_total(client, cast, db):
    plan = make_plan("ventile")
    indicator = make_indicator(plan, "Nb de personnes", targets={YEAR: "100"},
                               members=["Cégep A", "Université B"], breakdown_label="Établissement",
                               breakdown_additive=True)
    from indicators.models import Membership
    Membership.objects.filter(user=cast["alice"]).update(pole=plan.pole)
    members = list(indicator.members.all())
    client.force_login(cast["alice"])
    response = client.post(url(plan), entry_data(plan, YEAR, **{
        f"i{indicator.pk}-value": "100", f"i{indicator.pk}m{members[0].pk}-value": "70",
        f"i{indicator.pk}m{members[1].pk}-value": "50"}))
    assert "La somme des ventilations (120) dépasse le total (100)." in (
        response.content.decode())
    assert not Result.objects.filter(indicator=indicator).exists()


def test_evidence_file_type_and_size_are_limited(client, cast, seed, projects, settings,
                                                 tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.EVIDENCE_MAX_BYTES = 10
    settings.MEDIA_ROOT = str(tmp_path)
    plan = seed["monteregie"]
    client.force_login(cast["alice"])
    data = entry_data(plan, YEAR, **{f"i{projects.pk}-value": "1"})
    data[f"i{projects.pk}-evidence_file"] = SimpleUploadedFile("x.exe", b"MZ")
    assert "Type de fichier refusé (.exe)" in client.post(url(plan), data).content.decode()
    data[f"i{projects.pk}-evidence_file"] = SimpleUploadedFile("preuve.pdf", b"%PDF" * 10)
    assert "Fichier trop volumineux" in client.post(url(plan), data).content.decode()
    data[f"i{projects.pk}-evidence_file"] = SimpleUploadedFile("preuve.pdf", b"%PDF")
    assert client.post(url(plan), data).status_code == 302
    assert Result.objects.get(indicator=projects).evidence_file.name.endswith(".pdf")


def test_second_concurrent_save_is_refused_and_shows_the_newer_value(client, cast, seed, projects):
    plan = seed["monteregie"]
    client.force_login(cast["alice"])
    client.post(url(plan), entry_data(plan, YEAR, **{f"i{projects.pk}-value": "1"}))
    stale = entry_data(plan, YEAR)  # both people loaded the page now (version 1)
    client.post(url(plan), entry_data(plan, YEAR, **{f"i{projects.pk}-value": "4"}))  # first
    stale[f"i{projects.pk}-value"] = "2"
    response = client.post(url(plan), stale)  # second, on the old version
    assert response.status_code == 409
    page = response.content.decode()
    # alice saved it herself (another tab): the page says « vous », not someone else.
    assert "Vous avez enregistré ce résultat entre-temps, dans un autre onglet" in page
    assert 'value="2"' in page  # what the second person typed is still there
    assert Result.objects.get(indicator=projects, year=YEAR).value == Decimal(4)


def test_approved_year_is_locked_until_staff_reopens_it(client, cast, seed, projects):
    plan = seed["monteregie"]
    year_transition(plan=plan, year=YEAR, action="submit", user=cast["alice"])
    year_transition(plan=plan, year=YEAR, action="approve", user=cast["dora"])
    client.force_login(cast["alice"])
    response = client.post(url(plan), entry_data(plan, YEAR, **{f"i{projects.pk}-value": "9"}))
    assert response.status_code == 409
    assert 'value="9"' in response.content.decode()
    assert not Result.objects.filter(indicator=projects).exists()

    client.force_login(cast["sam"])
    response = client.post(reverse("indicators:year_transition", args=[plan.pk, YEAR]),
                           {"action": "reopen", "comment": "Correction demandée par le MES"})
    assert response.status_code == 302
    report = YearReport.objects.get(plan=plan, year=YEAR)
    assert report.state == YearReport.State.DRAFT
    assert report.transitions.last().comment == "Correction demandée par le MES"
    client.force_login(cast["alice"])
    client.post(url(plan), entry_data(plan, YEAR, **{f"i{projects.pk}-value": "9"}))
    assert Result.objects.get(indicator=projects).value == Decimal(9)


def test_entry_page_query_count_does_not_grow_with_the_plan(client, cast, seed,
                                                            django_assert_num_queries):
    client.force_login(cast["alice"])
    # 12 for the page (six reads of the lines shown and their stored evaluations, one of the
    # whole plan's stored standings for the headline and jump list), plus one read of the
    # plan's register rules (none here). Was 11 when the page evaluated live (five reads).
    # Plus two for the campaign's due dates and the corrections asked (hooks.year_notices).
    # +1: the shown actions' progress (issue 25).
    with django_assert_num_queries(16):
        response = client.get(url(seed["monteregie"]))  # 79 indicators
        assert response.status_code == 200
    client.force_login(cast["quentin"])
    with django_assert_num_queries(16):
        response = client.get(url(seed["quebec"]))  # 19 indicators
        assert response.status_code == 200


def test_saving_a_whole_year_runs_a_bounded_number_of_queries(client, cast, seed,
                                                             django_assert_num_queries):
    plan = seed["monteregie"]
    from indicators.models import Indicator
    changes = {f"i{i.pk}-value": "2" for i in Indicator.objects.for_plan(plan)
               if not i.is_deliverable}
    client.force_login(cast["alice"])
    data = entry_data(plan, YEAR, **changes)
    # The new results and their history rows in batches (one INSERT each per RESULT_BATCH
    # results, not two statements per result), plus a fixed overhead (which includes
    # reading the saved indicators' stored evaluations once more for the summary of changed
    # statuses: one query, where evaluating the plan again took five, so 24 where it was 26),
    # plus storing the evaluations of the changed indicators (six reads, one delete, one
    # insert per 60 rows), plus the plan's register rules, read once.
    stored = math.ceil(len(changes) * len([y for y in plan.years if y >= YEAR]) / INSERT_BATCH)
    batches = 2 * math.ceil(len(changes) / RESULT_BATCH)
    # 27 (was 24): + the shown actions' progress, + the savepoint and release of entry_save
    # (results and action progress saved together).
    with django_assert_num_queries(batches + 27 + 7 + stored):
        response = client.post(url(plan), data)
        assert response.status_code == 302
    assert Result.objects.filter(year=YEAR).count() == len(changes)


def test_submit_notifies_the_director(client, cast, seed, django_capture_on_commit_callbacks):
    plan = seed["monteregie"]
    client.force_login(cast["alice"])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("indicators:year_transition", args=[plan.pk, YEAR]),
                    {"action": "submit", "confirmed": "True"})
    assert YearReport.objects.get(plan=plan, year=YEAR).state == YearReport.State.SUBMITTED
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["dora@example.org"]
    assert "soumise" in mail.outbox[0].subject


def test_coordinator_cannot_approve_and_return_needs_a_comment(
        client, cast, seed, django_capture_on_commit_callbacks):
    plan = seed["monteregie"]
    transition = reverse("indicators:year_transition", args=[plan.pk, YEAR])
    client.force_login(cast["alice"])
    client.post(transition, {"action": "submit", "confirmed": "True"})
    assert client.post(transition, {"action": "approve"}).status_code == 403
    client.force_login(cast["diane"])  # director of the other pôle
    assert client.post(transition, {"action": "approve"}).status_code == 404
    client.force_login(cast["dora"])
    client.post(transition, {"action": "return"})
    assert YearReport.objects.get(plan=plan, year=YEAR).state == YearReport.State.SUBMITTED
    with django_capture_on_commit_callbacks(execute=True):
        client.post(transition, {"action": "return", "comment": "Il manque les preuves de 1.2"})
    report = YearReport.objects.get(plan=plan, year=YEAR)
    assert report.state == YearReport.State.DRAFT
    assert mail.outbox[-1].to == ["alice@example.org"]
    assert "Il manque les preuves de 1.2" in mail.outbox[-1].body


def test_submitted_year_refuses_edits(client, cast, seed, projects):
    plan = seed["monteregie"]
    year_transition(plan=plan, year=YEAR, action="submit", user=cast["alice"])
    client.force_login(cast["alice"])
    response = client.post(url(plan), entry_data(plan, YEAR, **{f"i{projects.pk}-value": "3"}))
    assert response.status_code == 409
    page = response.content.decode()
    assert "L&#x27;année 2025-2026 n&#x27;est plus en brouillon (soumise)" in page
    assert 'data-testid="year-state">soumise<' in page


def test_evidence_files_are_served_only_to_readers_of_the_pole(client, cast, seed, projects,
                                                               settings, tmp_path):
    from django.core.files.base import ContentFile

    settings.MEDIA_ROOT = str(tmp_path)
    result = make_result(projects, YEAR, 1)
    result.evidence_file.save("preuve.pdf", ContentFile(b"%PDF-1.4 preuve"))
    url = reverse("indicators:evidence", args=[result.pk])
    client.force_login(cast["dora"])
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 preuve"
    client.force_login(cast["mina"])  # the ministry reads every pôle
    assert client.get(url).status_code == 200
    client.force_login(cast["quentin"])  # another pôle: the file does not exist for them
    assert client.get(url).status_code == 404
    assert client.get(reverse("indicators:evidence", args=[result.pk + 1000])
                      ).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302
    assert client.get("/media/" + result.evidence_file.name).status_code == 404


def test_evidence_file_on_a_refused_page_says_it_must_be_chosen_again(
        client, cast, seed, projects, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    plan = seed["monteregie"]
    other = find_indicator(plan, "1.1.4", "Nb de rencontres")
    client.force_login(cast["alice"])
    data = entry_data(plan, YEAR, **{f"i{projects.pk}-value": "1",
                                     f"i{other.pk}-value": "trente"})
    data[f"i{projects.pk}-evidence_file"] = SimpleUploadedFile("preuve.pdf", b"%PDF")
    response = client.post(url(plan), data)
    assert response.status_code == 200
    page = response.content.decode()
    note = page.split(f'id="id_i{projects.pk}-evidence_file_unsaved"', 1)[1][:300]
    assert "Le fichier « preuve.pdf » n&#x27;a pas été enregistré" in note
    assert "choisissez-le de nouveau" in note
    assert f'id="id_i{other.pk}-evidence_file_unsaved"' not in page  # only where one was chosen
    assert not Result.objects.filter(year=YEAR).exists()
    assert not list(tmp_path.rglob("*.pdf"))


def test_evidence_file_on_a_conflicted_page_says_it_must_be_chosen_again(
        client, cast, seed, projects, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    plan = seed["monteregie"]
    client.force_login(cast["alice"])
    client.post(url(plan), entry_data(plan, YEAR, **{f"i{projects.pk}-value": "1"}))
    stale = entry_data(plan, YEAR)
    client.post(url(plan), entry_data(plan, YEAR, **{f"i{projects.pk}-value": "4"}))
    stale[f"i{projects.pk}-value"] = "2"
    stale[f"i{projects.pk}-evidence_file"] = SimpleUploadedFile("preuve.pdf", b"%PDF")
    response = client.post(url(plan), stale)
    assert response.status_code == 409
    assert f'id="id_i{projects.pk}-evidence_file_unsaved"' in response.content.decode()
    assert not Result.objects.get(indicator=projects, year=YEAR).evidence_file


def test_a_save_in_batches_keeps_each_result_history_author_and_time(client, cast, seed):
    """Results are written in bulk: each one still gets its version, its history row (who,
    why, the value before) and its modification time, as a one-by-one save gave."""
    from indicators.models import Indicator
    plan = seed["monteregie"]
    counted = [i for i in Indicator.objects.for_plan(plan) if not i.is_deliverable][:35]
    client.force_login(cast["alice"])
    client.post(url(plan), entry_data(plan, YEAR, **{f"i{i.pk}-value": "2" for i in counted}))
    first = {r.indicator_id: r.updated_at for r in Result.objects.filter(year=YEAR)}
    client.post(url(plan), entry_data(plan, YEAR, **{f"i{i.pk}-value": "3" for i in counted}))

    results = Result.objects.filter(year=YEAR)
    assert results.count() == 35
    for result in results:
        assert (result.value, result.version, result.updated_by) == (3, 2, cast["alice"])
        assert result.updated_at > first[result.indicator_id]
        history = list(result.history.order_by("history_date"))
        assert [h.value for h in history] == [2, 3]
        assert {h.history_user for h in history} == {cast["alice"]}
        assert {h.history_change_reason for h in history} == {"Saisie"}


def test_a_save_that_changes_only_comments_writes_the_comments(client, cast, seed):
    """The batched update names only the columns a line changed: a later save that changes
    only the comment (or only the value) writes that column and keeps the other."""
    from indicators.models import Indicator
    plan = seed["monteregie"]
    counted = [i for i in Indicator.objects.for_plan(plan) if not i.is_deliverable][:3]
    client.force_login(cast["alice"])
    client.post(url(plan), entry_data(plan, YEAR, **{f"i{i.pk}-value": "4" for i in counted}))
    client.post(url(plan), entry_data(plan, YEAR, **{f"i{i.pk}-comment": "Vérifié; à suivre"
                                                     for i in counted}))
    client.post(url(plan), entry_data(plan, YEAR, **{f"i{counted[0].pk}-value": "5"}))

    saved = {r.indicator_id: r for r in Result.objects.filter(year=YEAR)}
    assert [(saved[i.pk].value, saved[i.pk].comment) for i in counted] == [
        (5, "Vérifié; à suivre"), (4, "Vérifié; à suivre"), (4, "Vérifié; à suivre")]
    assert [saved[i.pk].version for i in counted] == [3, 2, 2]
