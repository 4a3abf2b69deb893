"""The register's pages: who may read and write, the form, locking and the override."""

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from indicators.models import Result, YearReport
from register.models import Activity, IndicatorRule, Organisation
from tests.conftest import find_indicator
from tests.register.conftest import kind, make_activity, make_org

Kind = IndicatorRule.Kind
TODAY = datetime.date(2025, 6, 1)


def login(client, user):
    client.force_login(user)


def form_data(mont, **overrides):
    data = {"kind": kind("projet-concertation").pk, "title": "Table de concertation",
            "status": Activity.Status.DONE, "start_date": "2024-09-10", "end_date": "",
            "actions": [mont["action"].pk], "organisations": [],
            "participants_students": "12", "participants_teachers": "3",
            "participants_cpe": "0", "participants_sdg": "0", "participants_other": "0",
            "people_reached": "40", "visitors": "0", "evidence_url": "", "description": "",
            "new_partner_name": "", "new_partner_kind": ""}
    data.update(overrides)
    return data


def list_url(pole):
    return f"/registre/{pole.code}/"


def test_coordinator_adds_an_activity_and_the_indicator_fills_itself(client, cast, mont):
    login(client, cast["alice"])
    a, b = make_org("Cégep A"), make_org("Cégep B")
    response = client.post(list_url(mont["pole"]) + "ajouter/",
                           form_data(mont, organisations=[a.pk, b.pk]))
    assert response.status_code == 302
    activity = Activity.objects.get(title="Table de concertation")
    assert activity.updated_by == cast["alice"]
    total = Result.objects.get(indicator=mont["projects"], year=2024, member=None)
    assert total.value == total.computed_value == 1
    establishments = Result.objects.get(indicator=mont["establishments"], year=2024,
                                        member=None)
    assert establishments.value == 2
    students = Result.objects.get(indicator=mont["establishments"], year=2024,
                                  member__label__icontains="étudiant")
    assert students.value == 12
    assert total.history.first().history_change_reason == "Calculé à partir du registre"


def test_invalid_input_keeps_what_was_typed_and_says_why_in_french(client, cast, mont):
    login(client, cast["alice"])
    response = client.post(list_url(mont["pole"]) + "ajouter/",
                           form_data(mont, start_date="2024-09-10", end_date="2024-09-01"))
    assert response.status_code == 200
    assert "La fin (2024-09-01) précède le début (2024-09-10)." in response.content.decode()
    assert 'value="Table de concertation"' in response.content.decode()
    assert not Activity.objects.exists()


def test_an_ambiguous_new_partner_asks_instead_of_creating_it(client, cast, mont, directory):
    login(client, cast["alice"])
    response = client.post(list_url(mont["pole"]) + "ajouter/",
                           form_data(mont, new_partner_name="Cégep de Saint",
                                     new_partner_kind="community"))
    assert response.status_code == 200
    assert "ressemble à" in response.content.decode()
    assert not Activity.objects.exists()


def test_a_known_name_typed_as_new_partner_links_the_directory_entry(client, cast, mont,
                                                                       directory):
    login(client, cast["alice"])
    response = client.post(list_url(mont["pole"]) + "ajouter/",
                           form_data(mont, new_partner_name="Cegep Edouard Montpetit"))
    assert response.status_code == 302
    activity = Activity.objects.get()
    assert [o.name for o in activity.organisations.all()] == ["Cégep Édouard-Montpetit"]
    assert not Organisation.objects.filter(pole__isnull=False).exists()


def test_a_new_local_partner_belongs_to_the_pole(client, cast, mont, directory):
    login(client, cast["alice"])
    response = client.post(list_url(mont["pole"]) + "ajouter/",
                           form_data(mont, new_partner_name="Maison de la famille Vallée",
                                     new_partner_kind="community"))
    assert response.status_code == 302
    partner = Organisation.objects.get(name="Maison de la famille Vallée")
    assert partner.pole == mont["pole"] and partner.kind == "community"


def test_director_reads_the_list_but_gets_403_on_post(client, cast, mont):
    make_activity(mont["pole"], title="Colloque", actions=[mont["action"]])
    login(client, cast["dora"])
    response = client.get(list_url(mont["pole"]))
    assert response.status_code == 200 and "Colloque" in response.content.decode()
    assert client.post(list_url(mont["pole"]) + "ajouter/", form_data(mont)).status_code == 403
    assert Activity.objects.count() == 1


def test_ministry_reads_every_pole_and_writes_nothing(client, cast, mont):
    login(client, cast["mina"])
    assert client.get(list_url(mont["pole"])).status_code == 200
    assert client.post(list_url(mont["pole"]) + "ajouter/", form_data(mont)).status_code == 403


def test_user_of_another_pole_gets_404_and_nothing_changes(client, cast, mont):
    activity = make_activity(mont["pole"], title="Colloque", actions=[mont["action"]])
    login(client, cast["quentin"])
    assert client.get(list_url(mont["pole"])).status_code == 404
    response = client.post(f"{list_url(mont['pole'])}{activity.pk}/", form_data(mont))
    assert response.status_code == 404
    assert client.get(f"/registre/indicateurs/{mont['projects'].pk}/2024/").status_code == 404
    activity.refresh_from_db()
    assert activity.title == "Colloque"


def test_an_activity_of_an_approved_year_cannot_be_edited_or_deleted(client, cast, mont):
    activity = make_activity(mont["pole"], title="Colloque", actions=[mont["action"]])
    YearReport.objects.create(plan=mont["plan"], year=2024, state=YearReport.State.APPROVED)
    login(client, cast["alice"])
    url = f"{list_url(mont['pole'])}{activity.pk}/"
    response = client.post(url, form_data(mont, title="Changé"))
    assert response.status_code == 200
    assert "ne peut plus être modifiée" in response.content.decode()
    client.post(url + "supprimer/")
    activity.refresh_from_db()
    assert activity.title == "Colloque"


def test_moving_an_activity_into_an_approved_year_is_refused(client, cast, mont):
    activity = make_activity(mont["pole"], title="Colloque", actions=[mont["action"]],
                             start=datetime.date(2025, 5, 1))
    YearReport.objects.create(plan=mont["plan"], year=2024, state=YearReport.State.APPROVED)
    login(client, cast["alice"])
    response = client.post(f"{list_url(mont['pole'])}{activity.pk}/",
                           form_data(mont, start_date="2024-05-01"))
    assert response.status_code == 200
    activity.refresh_from_db()
    assert activity.start_date == datetime.date(2025, 5, 1)


def test_list_filters_by_year_kind_and_organisation(client, cast, mont):
    cegep = make_org("Cégep A")
    make_activity(mont["pole"], title="Ancienne", start=datetime.date(2024, 5, 1),
                  organisations=[cegep])
    make_activity(mont["pole"], title="Récente", start=datetime.date(2025, 5, 1),
                  kind_code="activite-transfert")
    login(client, cast["alice"])
    page = client.get(list_url(mont["pole"]), {"year": "2025"}).content.decode()
    assert "Récente" in page and "Ancienne" not in page
    page = client.get(list_url(mont["pole"]), {"organisation": cegep.pk}).content.decode()
    assert "Ancienne" in page and "Récente" not in page
    page = client.get(list_url(mont["pole"]),
                      {"kind": kind("activite-transfert").pk}).content.decode()
    assert "Récente" in page and "Ancienne" not in page


def test_list_costs_the_same_queries_with_many_activities(client, cast, mont):
    orgs = [make_org(f"Cégep {n}") for n in range(5)]
    login(client, cast["alice"])

    def add_and_count(count):
        for n in range(count):
            make_activity(mont["pole"], title=f"A{n}", actions=[mont["action"]],
                          organisations=orgs[n % 5:])
        with CaptureQueriesContext(connection) as queries:
            response = client.get(list_url(mont["pole"]))
        assert response.status_code == 200
        return len(queries)

    assert add_and_count(2) == add_and_count(110) == 12
    page = client.get(list_url(mont["pole"]), {"page": 2}).content.decode()
    assert "112 activités" in page and "Page 2 sur 2" in page


def test_drill_down_lists_the_activities_behind_the_value(client, cast, mont):
    make_activity(mont["pole"], title="Compté", actions=[mont["action"]])
    make_activity(mont["pole"], title="Prévu", actions=[mont["action"]],
                  status=Activity.Status.PLANNED)
    login(client, cast["dora"])
    response = client.get(f"/registre/indicateurs/{mont['projects'].pk}/2024/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "1 activité" in page and "Compté" in page and "Prévu" not in page
    assert "Remplacer la valeur calculée" not in page  # a director reads


def test_override_keeps_the_coordinator_value_and_the_computed_one_beside_it(client, cast,
                                                                                mont):
    from register.services import results_recompute

    make_activity(mont["pole"], actions=[mont["action"]])
    results_recompute(plan=mont["plan"], year=2024, today=TODAY)
    login(client, cast["alice"])
    url = f"/registre/indicateurs/{mont['projects'].pk}/2024/"
    response = client.post(url, {"value": "", "reason": ""})
    assert response.status_code == 200
    assert "Le motif est obligatoire." in response.content.decode()
    response = client.post(url, {"value": "3", "reason": "Deux projets hors registre"})
    assert response.status_code == 302
    result = Result.objects.get(indicator=mont["projects"], year=2024, member=None)
    assert result.value == 3 and result.computed_value == 1 and result.is_overridden
    # A new activity changes the computed value, not the overridden one.
    make_activity(mont["pole"], actions=[mont["action"]])
    results_recompute(plan=mont["plan"], year=2024, today=TODAY)
    result.refresh_from_db()
    assert (result.value, result.computed_value) == (Decimal(3), Decimal(2))
    assert "Deux projets hors registre" in result.history.first().history_change_reason \
        or result.history.filter(history_change_reason__contains="Deux projets").exists()
    client.post(url, {"revert": "1"})
    result.refresh_from_db()
    assert result.value == 2 and not result.is_overridden


def test_director_cannot_override(client, cast, mont):
    login(client, cast["dora"])
    url = f"/registre/indicateurs/{mont['projects'].pk}/2024/"
    assert client.post(url, {"value": "3", "reason": "x"}).status_code == 403


def test_drill_down_costs_the_same_queries_with_many_activities(client, cast, mont):
    orgs = [make_org(f"Cégep {n}") for n in range(5)]
    client.force_login(cast["alice"])
    url = f"/registre/indicateurs/{mont['establishments'].pk}/2024/"

    def add_and_count(count):
        for n in range(count):
            make_activity(mont["pole"], actions=[mont["action"]], organisations=orgs[n % 5:])
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200
        return len(queries)

    assert add_and_count(2) == add_and_count(25) == 16


def test_activity_evidence_file_is_served_to_its_pole_only(client, cast, mont, settings,
                                                           tmp_path):
    from django.core.files.base import ContentFile

    settings.MEDIA_ROOT = tmp_path
    activity = make_activity(mont["pole"], actions=[mont["action"]])
    activity.evidence_file.save("compte-rendu.pdf", ContentFile(b"%PDF-1.4"))
    url = f"/registre/activites/{activity.pk}/preuve/"
    client.force_login(cast["dora"])
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4"
    client.force_login(cast["quentin"])
    assert client.get(url).status_code == 404


def test_admin_rule_change_recomputes_the_pole_results(client, cast, mont):
    make_activity(mont["pole"], actions=[mont["action"]])
    indicator = find_indicator(mont["plan"], "1.1.1", "Nb d'activités de transfert")
    client.force_login(cast["sam"])
    response = client.post("/admin/register/indicatorrule/add/", {
        "indicator": indicator.pk, "kind": Kind.ACTIVITIES, "note": "",
        "activity_kinds": [kind("projet-concertation").pk]})
    assert response.status_code == 302
    assert Result.objects.get(indicator=indicator, year=2024, member=None).value == 1


@pytest.mark.parametrize("path", [
    "/admin/register/activity/abc/history/", "/admin/register/activity/1/history/abc/",
    "/admin/register/organisation/%00/history/", "/admin/register/indicatorrule/x/history/",
])
def test_admin_history_of_a_malformed_id_is_404(client, cast, path):
    client.force_login(cast["sam"])
    assert client.get(path).status_code == 404


def test_the_example_file_is_downloadable_from_the_import_page_and_imports(client, mont, directory,
                                                                            cast):
    client.force_login(cast["alice"])
    page = client.get(reverse("register:import", args=[mont['pole'].code]))
    assert page.status_code == 200
    example = reverse("register:import_example")
    assert f'href="{example}"' in page.content.decode()
    response = client.get(example)
    assert response.status_code == 200
    content = b"".join(response.streaming_content)
    # The demo's 2024-2025 is approved: the example falls in the years after it.
    YearReport.objects.create(plan=mont['plan'], year=2024, state=YearReport.State.APPROVED)
    upload = SimpleUploadedFile("exemple-registre.csv", content)
    response = client.post(reverse("register:import", args=[mont['pole'].code]), {"file": upload})
    assert response.status_code == 302, [e for e in response.context["outcome"].errors]
    assert Activity.objects.filter(pole=mont['pole']).count() == 4


def test_the_ministry_reads_an_activity_and_another_pole_gets_404(client, mont, cast):
    activity = make_activity(mont['pole'], title="Forum régional")
    url = reverse("register:detail", args=[mont['pole'].code, activity.pk])
    client.force_login(cast["mina"])
    listing = client.get(reverse("register:list", args=[mont['pole'].code]))
    assert listing.status_code == 200
    assert f'href="{url}"' in listing.content.decode()
    response = client.get(url)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Forum régional" in page and "Modifier cette activité" not in page
    client.force_login(cast["quentin"])
    assert client.get(url).status_code == 404


def test_the_organisation_filter_offers_only_this_poles_register(client, mont, cast):
    named = make_org("Cégep nommé")
    make_org("Cégep jamais nommé")
    make_activity(mont['pole'], title="Forum", organisations=[named])
    client.force_login(cast["alice"])
    response = client.get(reverse("register:list", args=[mont['pole'].code]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Cégep nommé" in page and "Cégep jamais nommé" not in page


def test_a_refused_creation_is_still_titled_as_a_creation(client, mont, cast):
    YearReport.objects.create(plan=mont['plan'], year=2024, state=YearReport.State.APPROVED)
    client.force_login(cast["alice"])
    response = client.post(reverse("register:add", args=[mont['pole'].code]), {
        "kind": kind("projet-concertation").pk, "title": "Forum", "status": "done",
        "start_date": "2024-09-10", **{name: "0" for name in (
            "participants_students", "participants_teachers", "participants_cpe",
            "participants_sdg", "participants_other", "people_reached", "visitors")}})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Ajouter une activité" in page and "Modifier une activité" not in page
    assert not Activity.objects.filter(title="Forum").exists()


def test_the_drill_down_leads_back_to_the_entry_line(client, mont, cast):
    client.force_login(cast["alice"])
    projects = mont["projects"]
    response = client.get(reverse("register:indicator", args=[projects.pk, 2025]))
    assert response.status_code == 200
    # The line in its orientation's section (a long plan shows one at a time).
    back = (reverse("indicators:entry", args=[mont["plan"].pk, 2025])
            + f"?orientation={projects.action.objective.orientation_id}#i{projects.pk}")
    assert f'href="{back}"' in response.content.decode()
