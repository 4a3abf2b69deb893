"""Organisations: one in use is never deleted (admin, bulk, model), an inactive one is no
longer offered but stays where it is, and a merge moves open years' links only, recorded and
recomputed, never touching an approved year."""

import datetime
import html

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from indicators.models import Result, YearReport
from register.activity_import import activities_import
from register.models import Activity, Organisation, OrganisationInUse, OrganisationMerge
from register.services import MergeRefused, organisations_merge, register_results_update
from tests.register.conftest import make_activity, make_org
from tests.register.test_import import dataset
from tests.register.test_views import form_data, list_url

CHANGELIST = "/admin/register/organisation/"


def page(response) -> str:
    return html.unescape(response.content.decode())


# --- never deleted while in use ---------------------------------------------------------------


def test_an_organisation_in_use_cannot_be_deleted_from_the_model(mont):
    cegep = make_org("Cégep A")
    make_activity(mont["pole"], organisations=[cegep])
    with pytest.raises(OrganisationInUse):
        cegep.delete()
    with pytest.raises(OrganisationInUse), transaction.atomic():
        Organisation.objects.filter(pk=cegep.pk).delete()
    assert Organisation.objects.filter(pk=cegep.pk).exists()


def test_an_organisation_in_use_has_no_delete_in_the_admin(client, cast, mont):
    cegep = make_org("Cégep A")
    activity = make_activity(mont["pole"], organisations=[cegep])
    client.force_login(cast["sam"])
    assert client.get(f"{CHANGELIST}{cegep.pk}/delete/").status_code == 403
    assert client.post(f"{CHANGELIST}{cegep.pk}/delete/", {"post": "yes"}).status_code == 403
    assert list(activity.organisations.all()) == [cegep]


def test_bulk_delete_refuses_when_one_is_in_use_and_deletes_nothing(client, cast, mont):
    used, unused = make_org("Cégep A"), make_org("Cégep B")
    make_activity(mont["pole"], organisations=[used])
    client.force_login(cast["sam"])
    response = client.post(CHANGELIST, {"action": "delete_selected", "post": "yes",
                                        "_selected_action": [used.pk, unused.pk]})
    assert response.status_code in (200, 302, 403)
    assert Organisation.objects.filter(pk__in=[used.pk, unused.pk]).count() == 2


def test_delete_queryset_refuses_in_bulk_with_a_message(rf, cast, mont):
    from django.contrib.admin.sites import site
    from django.contrib.messages.storage.fallback import FallbackStorage

    used, unused = make_org("Cégep A"), make_org("Cégep B")
    make_activity(mont["pole"], organisations=[used])
    request = rf.post("/")
    request.user = cast["sam"]
    request.session = {}
    request._messages = FallbackStorage(request)
    site._registry[Organisation].delete_queryset(
        request, Organisation.objects.filter(pk__in=[used.pk, unused.pk]))
    assert Organisation.objects.filter(pk__in=[used.pk, unused.pk]).count() == 2
    assert "Cégep A sont nommées par des activités" in str(list(request._messages)[0])


def test_an_unused_organisation_can_be_deleted_in_the_admin(client, cast, mont):
    unused = make_org("Cégep B")
    client.force_login(cast["sam"])
    response = client.post(f"{CHANGELIST}{unused.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not Organisation.objects.filter(pk=unused.pk).exists()


# --- inactive ------------------------------------------------------------------------------


def test_an_inactive_organisation_is_not_offered_but_stays_on_its_activity(client, cast, mont):
    old, current = make_org("Cégep Ancien"), make_org("Cégep Actuel")
    activity = make_activity(mont["pole"], title="Table de concertation",
                             actions=[mont["action"]], start=datetime.date(2024, 9, 10),
                             organisations=[old])
    Organisation.objects.filter(pk=old.pk).update(is_active=False)
    client.force_login(cast["alice"])
    add_page = client.get(list_url(mont["pole"]) + "ajouter/").content.decode()
    assert "Cégep Actuel" in add_page and "Cégep Ancien" not in add_page
    edit_url = f"{list_url(mont['pole'])}{activity.pk}/"
    assert "Cégep Ancien" in client.get(edit_url).content.decode()
    response = client.post(edit_url, form_data(mont, organisations=[old.pk, current.pk],
                                               seen_version="1"))
    assert response.status_code == 302
    assert set(activity.organisations.all()) == {old, current}
    response = client.post(list_url(mont["pole"]) + "ajouter/",
                           form_data(mont, organisations=[old.pk]))
    assert response.status_code == 200  # not a choice for a new activity


def test_the_import_does_not_match_an_inactive_organisation(mont, cast):
    make_org("Cégep Ancien", is_active=False)
    text = ("Titre;Type;Début;Établissements et partenaires\n"
            "Atelier;Publication;2024-09-10;Cégep Ancien\n")
    outcome = activities_import(pole=mont["pole"], user=cast["alice"], dataset=dataset(text))
    assert outcome.errors == ["Ligne 2 : « Cégep Ancien » n'est pas au répertoire ; "
                              "ajoutez-le comme partenaire local d'abord."]


# --- merge -----------------------------------------------------------------------------------


@pytest.fixture
def split(mont, cast):
    """« UdeS » names one activity of 2024-2025 (then approved) and one of 2025-2026 (open)."""
    source, into = make_org("UdeS", Organisation.Kind.UNIVERSITY), make_org(
        "Université de Sherbrooke", Organisation.Kind.UNIVERSITY)
    other = make_org("Cégep A")
    old = make_activity(mont["pole"], title="Ancienne", actions=[mont["action"]],
                        organisations=[source, other], start=datetime.date(2024, 9, 10))
    new = make_activity(mont["pole"], title="Récente", actions=[mont["action"]],
                        organisations=[source, other], start=datetime.date(2025, 9, 10))
    register_results_update(pole=mont["pole"], user=cast["alice"])
    YearReport.objects.create(plan=mont["plan"], year=2024, state=YearReport.State.APPROVED)
    return {"source": source, "into": into, "other": other, "old": old, "new": new}


def approved_state(mont):
    return list(Result.objects.filter(indicator__action__objective__orientation__plan=mont[
        "plan"], year=2024).order_by("indicator_id", "member_id").values_list(
            "indicator_id", "member_id", "value", "computed_value", "version"))


def test_merging_never_changes_an_approved_years_links_or_values(mont, cast, split):
    before = approved_state(mont)
    assert before
    merge = organisations_merge(source=split["source"], into=split["into"], user=cast["sam"])
    assert approved_state(mont) == before
    assert set(split["old"].organisations.all()) == {split["source"], split["other"]}
    split["old"].refresh_from_db()
    assert split["old"].version == 1
    assert set(split["new"].organisations.all()) == {split["into"], split["other"]}
    split["new"].refresh_from_db()
    assert split["new"].version == 2
    assert (merge.activities_moved, merge.activities_kept) == (1, 1)
    split["source"].refresh_from_db()
    assert not split["source"].is_active  # still named by the approved year
    assert merge.source == split["source"] and merge.by == cast["sam"]


def test_a_merge_recomputes_the_open_years(mont, cast, split):
    into_only = make_activity(mont["pole"], title="Autre", actions=[mont["action"]],
                              organisations=[split["into"]], start=datetime.date(2025, 10, 1))
    register_results_update(pole=mont["pole"], user=cast["alice"])
    count = Result.objects.get(indicator=mont["establishments"], year=2025, member=None)
    assert count.value == 3  # UdeS, Université de Sherbrooke, Cégep A
    organisations_merge(source=split["source"], into=split["into"], user=cast["sam"])
    count.refresh_from_db()
    assert count.value == 2
    assert into_only.organisations.count() == 1


def test_a_source_left_on_no_activity_is_deleted_and_the_merge_recorded(mont, cast):
    source, into = make_org("UQAM bis"), make_org("UQAM")
    activity = make_activity(mont["pole"], organisations=[source, into],
                             start=datetime.date(2025, 9, 10))
    merge = organisations_merge(source=source, into=into, user=cast["sam"])
    assert not Organisation.objects.filter(pk=source.pk).exists()
    assert list(activity.organisations.all()) == [into]
    assert OrganisationMerge.objects.get() == merge
    assert (merge.source_name, merge.into_name, merge.source) == ("UQAM bis", "UQAM", None)
    assert activity.history.filter(history_change_reason__startswith="Fusion de").exists()


def test_a_merge_into_itself_or_into_another_poles_partner_is_refused(mont, seed, cast):
    source = make_org("Cégep A")
    local = make_org("Partenaire de Québec", pole=seed["quebec"].pole)
    with pytest.raises(MergeRefused):
        organisations_merge(source=source, into=source, user=cast["sam"])
    with pytest.raises(MergeRefused):
        organisations_merge(source=source, into=local, user=cast["sam"])


def test_the_admin_merge_action_asks_the_target_then_merges(client, cast, mont):
    source, into = make_org("UQAM bis"), make_org("UQAM")
    activity = make_activity(mont["pole"], organisations=[source],
                             start=datetime.date(2025, 9, 10))
    client.force_login(cast["sam"])
    response = client.post(CHANGELIST, {"action": "merge_into",
                                        "_selected_action": [source.pk]})
    assert response.status_code == 200
    assert "Fusionner dans" in page(response)
    response = client.post(CHANGELIST, {"action": "merge_into", "apply": "1",
                                        "_selected_action": [source.pk], "into": ""})
    assert response.status_code == 200  # no target chosen: asked again…
    # … under an error summary whose link goes to the choice.
    summary = page(response)[page(response).index('data-testid="error-summary"'):]
    assert '<a href="#id_into">' in summary[:summary.index("</div>")]
    assert Organisation.objects.filter(pk=source.pk).exists()
    response = client.post(CHANGELIST, {"action": "merge_into", "apply": "1",
                                        "_selected_action": [source.pk], "into": into.pk},
                           follow=True)
    assert "« UQAM bis » fusionnée dans « UQAM »" in page(response)
    assert list(activity.organisations.all()) == [into]


def test_the_admin_merge_is_closed_to_coordinators_and_directors(client, cast, mont):
    source, into = make_org("UQAM bis"), make_org("UQAM")
    for user in ("alice", "dora", "quentin"):
        client.force_login(cast[user])
        response = client.post(CHANGELIST, {"action": "merge_into", "apply": "1",
                                            "_selected_action": [source.pk], "into": into.pk})
        assert response.status_code == 302 and "/login/" in response["Location"]
    assert Organisation.objects.filter(pk=source.pk).exists()


def test_the_import_page_still_works_after_a_merge(client, cast, mont):
    source, into = make_org("UQAM bis"), make_org("UQAM")
    organisations_merge(source=source, into=into, user=cast["sam"])
    client.force_login(cast["alice"])
    text = "Titre;Type;Début;Établissements et partenaires\nA;Publication;2024-09-10;UQAM\n"
    response = client.post(f"/registre/{mont['pole'].code}/importer/",
                           {"file": SimpleUploadedFile("r.csv", text.encode())})
    assert response.status_code == 302
    assert Activity.objects.get().organisations.get() == into
