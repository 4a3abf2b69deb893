"""The pôle's activity register: a directory of organisations, the activities a pôle runs,
and the rules that compute indicators from them.

Directory entries with no pôle come from the shipped fixture (``fixtures/organisations.json``);
an entry with a pôle is a local partner added by that pôle's coordinators.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.signals import pre_delete
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from indicators.models import Action, Indicator, Pole


class Region(models.TextChoices):
    """Québec's 17 administrative regions, numbered as the government numbers them."""

    BAS_SAINT_LAURENT = "01", _("Bas-Saint-Laurent")
    SAGUENAY = "02", _("Saguenay–Lac-Saint-Jean")
    CAPITALE_NATIONALE = "03", _("Capitale-Nationale")
    MAURICIE = "04", _("Mauricie")
    ESTRIE = "05", _("Estrie")
    MONTREAL = "06", _("Montréal")
    OUTAOUAIS = "07", _("Outaouais")
    ABITIBI = "08", _("Abitibi-Témiscamingue")
    COTE_NORD = "09", _("Côte-Nord")
    NORD_DU_QUEBEC = "10", _("Nord-du-Québec")
    GASPESIE = "11", _("Gaspésie–Îles-de-la-Madeleine")
    CHAUDIERE_APPALACHES = "12", _("Chaudière-Appalaches")
    LAVAL = "13", _("Laval")
    LANAUDIERE = "14", _("Lanaudière")
    LAURENTIDES = "15", _("Laurentides")
    MONTEREGIE = "16", _("Montérégie")
    CENTRE_DU_QUEBEC = "17", _("Centre-du-Québec")


class OrganisationQuerySet(models.QuerySet):
    def for_pole(self, pole: Pole) -> OrganisationQuerySet:
        """The shared directory plus ``pole``'s own local partners, by name."""
        return self.filter(Q(pole__isnull=True) | Q(pole=pole)).order_by("name")

    def offered(self, pole: Pole, *, keep: Iterable[int] = ()) -> OrganisationQuerySet:
        """What a form or an import of ``pole`` may link: its directory's active entries,
        plus ``keep`` (ids already on the activity, which stay even once inactive)."""
        return self.for_pole(pole).filter(Q(is_active=True) | Q(pk__in=list(keep)))


class Organisation(models.Model):
    class Kind(models.TextChoices):
        CEGEP = "cegep", _("cégep")
        UNIVERSITY = "university", _("université")
        PRIVATE_COLLEGE = "private_college", _("collège privé subventionné")
        SCHOOL_SERVICE_CENTRE = "school_service_centre", _("centre de services scolaire")
        CPE = "cpe", _("centre de la petite enfance")
        COMMUNITY = "community", _("organisme communautaire")
        EMPLOYER = "employer", _("employeur")
        MUNICIPALITY = "municipality", _("municipalité")
        OTHER = "other", _("autre partenaire")

    # Establishments in the sense of the plans' « Nb d'établissements » (educational
    # institutions); every other kind is a partner (« Nb de partenaires »).
    ESTABLISHMENT_KINDS = (Kind.CEGEP, Kind.UNIVERSITY, Kind.PRIVATE_COLLEGE,
                           Kind.SCHOOL_SERVICE_CENTRE)

    name = models.CharField(_("nom"), max_length=250)
    abbreviation = models.CharField(_("sigle"), max_length=40, blank=True,
                                    help_text=_("P. ex. « UQAM » ; sert au rapprochement des "
                                                "noms importés."))
    kind = models.CharField(_("type"), max_length=24, choices=Kind.choices)
    region = models.CharField(_("région administrative"), max_length=2, choices=Region.choices,
                              blank=True)
    official_code = models.CharField(_("code officiel"), max_length=20, blank=True,
                                     help_text=_("Laissé vide quand il n'est pas connu."))
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="constituents", verbose_name=_("réseau"),
                               help_text=_("P. ex. l'Université du Québec pour l'UQAM."))
    pole = models.ForeignKey(Pole, null=True, blank=True, on_delete=models.CASCADE,
                             related_name="local_organisations", verbose_name=_("pôle"),
                             help_text=_("Rempli pour un partenaire ajouté par un pôle ; vide "
                                         "pour le répertoire commun."))
    is_active = models.BooleanField(
        _("active"), default=True,
        help_text=_("Une organisation inactive n'est plus proposée dans le formulaire ni "
                    "reconnue à l'import ; elle reste sur les activités qui la nomment."))

    history = HistoricalRecords()
    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [
            models.UniqueConstraint(fields=["name"], condition=Q(pole__isnull=True),
                                    name="organisation_name_unique_in_directory"),
            models.UniqueConstraint(fields=["pole", "name"], condition=Q(pole__isnull=False),
                                    name="organisation_name_unique_in_pole"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def display_name(self) -> str:
        """How every register page and export shows the organisation: its full name, with
        its acronym in parentheses when it has one (« Université du Québec à Montréal
        (UQAM) »)."""
        if self.abbreviation and f"({self.abbreviation})" not in self.name:
            return f"{self.name} ({self.abbreviation})"
        return self.name

    @property
    def is_local(self) -> bool:
        return self.pole_id is not None

    @property
    def is_establishment(self) -> bool:
        return self.kind in self.ESTABLISHMENT_KINDS

    def delete(self, *args, **kwargs):
        # Refused before deletion starts, so the caller's transaction stays usable; the
        # pre_delete guard below also covers queryset and cascade deletes.
        _organisation_delete_guard(Organisation, self)
        return super().delete(*args, **kwargs)


class OrganisationInUse(Exception):
    """An organisation still named by activities cannot be deleted (merge it instead)."""


@receiver(pre_delete, sender=Organisation, dispatch_uid="register_organisation_in_use")
def _organisation_delete_guard(sender, instance: Organisation, **kwargs) -> None:
    # A many-to-many link has no on_delete to PROTECT it: deleting an organisation would
    # silently strip it from every activity, approved years included.
    if instance.pk and instance.activities.exists():
        raise OrganisationInUse(_("« %(name)s » est nommée par des activités : fusionnez-la "
                                  "ou rendez-la inactive plutôt que de la supprimer.")
                                % {"name": instance.name})


class OrganisationMerge(models.Model):
    """One merge of a directory entry into another (``register.services.organisations_merge``):
    what was merged, by whom, and how many activities moved or stayed (locked years)."""

    source_name = models.CharField(_("organisation fusionnée"), max_length=250)
    source = models.ForeignKey(Organisation, null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="merges_from",
                               verbose_name=_("organisation fusionnée (si conservée)"))
    into = models.ForeignKey(Organisation, null=True, on_delete=models.SET_NULL,
                             related_name="merges_into", verbose_name=_("fusionnée dans"))
    into_name = models.CharField(_("nom de la cible"), max_length=250)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                           verbose_name=_("par"))
    at = models.DateTimeField(_("le"), default=timezone.now)
    activities_moved = models.PositiveIntegerField(_("activités déplacées"), default=0)
    activities_kept = models.PositiveIntegerField(
        _("activités laissées (années verrouillées)"), default=0)

    class Meta:
        ordering = ["-at"]
        verbose_name = _("fusion d'organisations")
        verbose_name_plural = _("fusions d'organisations")

    def __str__(self) -> str:
        return f"{self.source_name} → {self.into_name}"


class ActivityKind(models.Model):
    """A kind of activity (projet de concertation, activité de transfert…): data, edited in
    the admin."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("nom"), max_length=150, unique=True)
    is_agreement = models.BooleanField(
        _("entente"), default=False,
        help_text=_("Compté comme une entente en vigueur pendant toute sa période."))
    position = models.PositiveSmallIntegerField(_("rang"), default=0)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("type d'activité")
        verbose_name_plural = _("types d'activité")

    def __str__(self) -> str:
        return self.name


class ActivityQuerySet(models.QuerySet):
    def for_pole(self, pole: Pole) -> ActivityQuerySet:
        """The pôle's activities, newest first, with kind; actions and organisations
        prefetched (three queries whatever the number of activities)."""
        return (self.filter(pole=pole).select_related("kind")
                .prefetch_related("actions", "organisations")
                .order_by("-start_date", "-id"))

    def in_period(self, start: datetime.date, end: datetime.date) -> ActivityQuerySet:
        """Activities whose reference date (end date, else start date) falls in
        ``start``–``end``: the year an activity counts in."""
        return self.filter(Q(end_date__isnull=False, end_date__range=(start, end))
                           | Q(end_date__isnull=True, start_date__range=(start, end)))

    def in_force(self, start: datetime.date, end: datetime.date) -> ActivityQuerySet:
        """Activities running at some point of ``start``–``end`` (agreements in force)."""
        return self.filter(Q(start_date__lte=end), Q(end_date__isnull=True)
                           | Q(end_date__gte=start))


def activity_evidence_path(instance: Activity, filename: str) -> str:
    return f"evidence/activities/{instance.pole_id}/{filename}"


class Activity(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", _("prévue")
        ONGOING = "ongoing", _("en cours")
        DONE = "done", _("réalisée")
        CANCELLED = "cancelled", _("annulée")

    # (field name, category label): participants by category, one place.
    PARTICIPANT_FIELDS = (
        ("participants_students", _("étudiants")),
        ("participants_teachers", _("enseignants")),
        ("participants_cpe", _("personnel de CPE")),
        ("participants_sdg", _("SDG")),
        ("participants_other", _("autres")),
    )

    pole = models.ForeignKey(Pole, on_delete=models.PROTECT, related_name="activities",
                             verbose_name=_("pôle"))
    kind = models.ForeignKey(ActivityKind, on_delete=models.PROTECT, related_name="activities",
                             verbose_name=_("type"))
    title = models.CharField(_("titre"), max_length=300)
    reference = models.CharField(
        _("référence"), max_length=100, blank=True,
        help_text=_("Identifiant de l'activité dans le registre du pôle (p. ex. la colonne « "
                    "Référence » d'un fichier importé) : réimporter le fichier met l'activité "
                    "à jour au lieu d'en créer une autre."))
    description = models.TextField(_("description"), blank=True)
    start_date = models.DateField(_("début"))
    end_date = models.DateField(_("fin"), null=True, blank=True,
                                help_text=_("L'activité compte dans l'exercice de sa date de "
                                            "fin (de début si elle n'en a pas)."))
    status = models.CharField(_("statut"), max_length=10, choices=Status.choices,
                              default=Status.DONE)
    actions = models.ManyToManyField(Action, blank=True, related_name="activities",
                                     verbose_name=_("actions du plan"))
    organisations = models.ManyToManyField(Organisation, blank=True, related_name="activities",
                                           verbose_name=_("établissements et partenaires"))
    participants_students = models.PositiveIntegerField(_("étudiants"), default=0)
    participants_teachers = models.PositiveIntegerField(_("enseignants"), default=0)
    participants_cpe = models.PositiveIntegerField(_("personnel de CPE"), default=0)
    participants_sdg = models.PositiveIntegerField(_("SDG"), default=0)
    participants_other = models.PositiveIntegerField(_("autres participants"), default=0)
    people_reached = models.PositiveIntegerField(_("personnes touchées"), default=0)
    visitors = models.PositiveIntegerField(_("visiteurs"), default=0)
    evidence_url = models.URLField(_("lien vers la pièce justificative"), max_length=500,
                                   blank=True)
    evidence_file = models.FileField(_("pièce justificative"),
                                     upload_to=activity_evidence_path, blank=True,
                                     max_length=300)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, verbose_name=_("saisi par"))
    updated_at = models.DateTimeField(_("mis à jour le"), auto_now=True)
    # Moves only when a value or a link changes (register.services.activity_store); a form
    # posts the version it showed, so a stale save is a conflict, not an overwrite.
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    history = HistoricalRecords(m2m_fields=[actions, organisations])
    objects = ActivityQuerySet.as_manager()

    class Meta:
        ordering = ["-start_date", "-id"]
        verbose_name = _("activité")
        verbose_name_plural = _("activités")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="activity_dates_ordered"),
            models.UniqueConstraint(fields=["pole", "reference"], condition=~Q(reference=""),
                                    name="activity_reference_unique_in_pole"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def reference_date(self) -> datetime.date:
        return self.end_date or self.start_date

    @property
    def participants(self) -> int:
        return sum(getattr(self, name) for name, _label in self.PARTICIPANT_FIELDS)

    def clean(self) -> None:
        if self.end_date and self.start_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _(
                "La fin (%(end)s) précède le début (%(start)s).") % {
                    "end": self.end_date.isoformat(), "start": self.start_date.isoformat()}})


class IndicatorRule(models.Model):
    """How an indicator is *calculé à partir du registre*: one rule from a declared set."""

    class Kind(models.TextChoices):
        ACTIVITIES = "activities", _("nombre d'activités réalisées")
        ESTABLISHMENTS = "establishments", _("nombre d'établissements distincts")
        PARTNERS = "partners", _("nombre de partenaires distincts")
        ORGANISATIONS = "organisations", _("nombre d'organisations distinctes")
        PEOPLE_REACHED = "people_reached", _("somme des personnes touchées")
        VISITORS = "visitors", _("somme des visiteurs")
        PARTICIPANTS = "participants", _("somme des participants")
        AGREEMENTS = "agreements", _("nombre d'ententes en vigueur")

    indicator = models.OneToOneField(Indicator, on_delete=models.CASCADE,
                                     related_name="register_rule",
                                     verbose_name=_("indicateur"))
    kind = models.CharField(_("règle"), max_length=20, choices=Kind.choices)
    activity_kinds = models.ManyToManyField(
        ActivityKind, blank=True, related_name="rules", verbose_name=_("types d'activité"),
        help_text=_("Vide : tous les types."))
    note = models.TextField(_("note"), blank=True,
                            help_text=_("Pourquoi cette règle convient au libellé."))

    history = HistoricalRecords()

    class Meta:
        ordering = ["indicator"]
        verbose_name = _("règle de calcul")
        verbose_name_plural = _("règles de calcul")

    def __str__(self) -> str:
        return f"{self.indicator} — {self.get_kind_display()}"

    def clean(self) -> None:
        if self.indicator_id and self.indicator.unit != Indicator.Unit.COUNT:
            raise ValidationError({"indicator": _(
                "Seul un indicateur exprimé en nombre peut être calculé à partir du registre "
                "(« %(label)s » est en %(unit)s).") % {
                    "label": self.indicator.label, "unit": self.indicator.get_unit_display()}})


class ImportJob(models.Model):
    """A register file imported in the background (above
    ``settings.REGISTER_IMPORT_BACKGROUND_ROWS`` rows, see ``register.tasks``): the file until
    it is read, the progress the page's bar shows, then the outcome the page lists."""

    class State(models.TextChoices):
        QUEUED = "queued", _("en attente")
        RUNNING = "running", _("en cours")
        DONE = "done", _("terminé")
        FAILED = "failed", _("interrompu")

    pole = models.ForeignKey(Pole, on_delete=models.CASCADE, related_name="import_jobs",
                             verbose_name=_("pôle"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                             verbose_name=_("par"))
    filename = models.CharField(_("fichier"), max_length=255)
    content = models.BinaryField(_("contenu"), blank=True)
    dry_run = models.BooleanField(_("vérification seulement"), default=False)
    keep_duplicates = models.BooleanField(_("doublons importés"), default=False)
    state = models.CharField(_("état"), max_length=10, choices=State.choices,
                             default=State.QUEUED)
    done = models.PositiveIntegerField(_("lignes lues"), default=0)
    total = models.PositiveIntegerField(_("lignes"), default=0)
    outcome = models.JSONField(_("résultat"), null=True, blank=True)
    created_at = models.DateTimeField(_("créé le"), default=timezone.now)
    finished_at = models.DateTimeField(_("terminé le"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("import du registre")
        verbose_name_plural = _("imports du registre")

    def __str__(self) -> str:
        return f"{self.filename} ({self.get_state_display()})"

    @property
    def percent(self) -> int:
        """How far the import is, 0 to 100 (100 once finished)."""
        if self.state in {self.State.DONE, self.State.FAILED}:
            return 100
        return min(99, self.done * 100 // self.total) if self.total else 0

    @property
    def is_finished(self) -> bool:
        return self.state in {self.State.DONE, self.State.FAILED}
