"""The plan hierarchy, targets, results and the people who enter them.

Plan → Orientation (or MES theme) → Objective → Action → Indicator → Target (one per plan year,
or one for the whole period) and Result (one per year and breakdown member).
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from indicators import dates
from indicators import targets as tl
from indicators.querysets import (
    IndicatorQuerySet,
    ResultQuerySet,
    StoredEvaluationQuerySet,
    TargetQuerySet,
)
from indicators.workflow import State as YearState


def fiscal_year_label(year: int) -> str:
    """``2024`` → ``2024-2025``: the MES fiscal year that starts in ``year``."""
    return f"{year}-{year + 1}"


class Pole(models.Model):
    name = models.CharField(_("nom"), max_length=200, unique=True)
    code = models.SlugField(_("code court"), max_length=40, unique=True)
    region = models.CharField(_("région administrative"), max_length=200, blank=True)
    public = models.BooleanField(
        _("page publique"), default=False,
        help_text=_("Publie le plan et les années approuvées sur une page ouverte à tous, "
                    "avec leurs données ouvertes."))

    class Meta:
        ordering = ["name"]
        verbose_name = _("pôle")
        verbose_name_plural = _("pôles")

    def __str__(self) -> str:
        return self.name


class Theme(models.Model):
    """One of the four themes the MES asks every pôle to attach its actions to."""

    number = models.PositiveSmallIntegerField(_("numéro"), unique=True)
    short_label = models.CharField(_("libellé court"), max_length=100)
    description = models.TextField(_("énoncé"))

    class Meta:
        ordering = ["number"]
        verbose_name = _("thème MES")
        verbose_name_plural = _("thèmes MES")

    def __str__(self) -> str:
        return f"{self.code} {self.short_label}"

    @property
    def code(self) -> str:
        return f"O{self.number}"


class Plan(models.Model):
    pole = models.ForeignKey(Pole, on_delete=models.PROTECT, related_name="plans",
                             verbose_name=_("pôle"))
    title = models.CharField(_("titre"), max_length=300)
    first_year = models.PositiveSmallIntegerField(
        _("première année"), help_text=_("Année où commence le premier exercice (2024 pour "
                                          "2024-2025)."))
    last_year = models.PositiveSmallIntegerField(
        _("dernière année"), help_text=_("Année où commence le dernier exercice (2026 pour "
                                          "2026-2027)."))
    year_start_month = models.PositiveSmallIntegerField(
        _("mois de début d'exercice"), default=4,
        help_text=_("Le MES rend compte par exercice financier, du 1er avril au 31 mars : "
                    "« 24-25 » désigne l'exercice du 2024-04-01 au 2025-03-31."))
    source_note = models.TextField(_("note sur la source"), blank=True)

    class Meta:
        ordering = ["pole__name", "-first_year"]
        verbose_name = _("plan")
        verbose_name_plural = _("plans")
        constraints = [
            models.UniqueConstraint(fields=["pole", "first_year"], name="one_plan_per_pole_start"),
            models.CheckConstraint(condition=Q(last_year__gte=models.F("first_year")),
                                   name="plan_years_ordered"),
            models.CheckConstraint(condition=Q(year_start_month__gte=1, year_start_month__lte=12),
                                   name="plan_start_month_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.pole} — {self.title} ({self.first_year}-{self.last_year + 1})"

    @property
    def years(self) -> list[int]:
        return list(range(self.first_year, self.last_year + 1))

    def year_bounds(self, year: int) -> tuple[datetime.date, datetime.date]:
        start = datetime.date(year, self.year_start_month, 1)
        end = datetime.date(year + 1, self.year_start_month, 1) - datetime.timedelta(days=1)
        return start, end

    def year_of(self, day: datetime.date) -> int:
        """The plan year (fiscal year start) that contains ``day``, clamped to the plan."""
        year = day.year if day.month >= self.year_start_month else day.year - 1
        return min(max(year, self.first_year), self.last_year)

    def current_year(self) -> int:
        return self.year_of(dates.today())

    def is_year_closed(self, year: int, today: datetime.date | None = None) -> bool:
        return (today or dates.today()) > self.year_bounds(year)[1]

    def clean(self) -> None:
        if self.first_year and self.last_year and self.last_year < self.first_year:
            raise ValidationError({"last_year": _("La dernière année précède la première.")})

    @cached_property
    def organised_by_theme(self) -> bool:
        """Pôle Québec's plan is organised directly by MES theme, Montérégie's by orientation.

        One query, once per plan object (templates and exports ask several times)."""
        return all(self.orientations.values_list("theme_id", flat=True))


class Orientation(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="orientations",
                             verbose_name=_("plan"))
    code = models.CharField(_("code"), max_length=20)
    title = models.TextField(_("énoncé"))
    theme = models.ForeignKey(Theme, null=True, blank=True, on_delete=models.PROTECT,
                              verbose_name=_("thème MES"),
                              help_text=_("Rempli quand le plan est organisé par thème MES."))
    position = models.PositiveSmallIntegerField(_("rang"), default=0)

    class Meta:
        ordering = ["plan", "position", "code"]
        verbose_name = _("orientation")
        verbose_name_plural = _("orientations")
        constraints = [models.UniqueConstraint(fields=["plan", "code"],
                                               name="orientation_code_unique_in_plan")]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class Objective(models.Model):
    orientation = models.ForeignKey(Orientation, on_delete=models.CASCADE,
                                    related_name="objectives", verbose_name=_("orientation"))
    code = models.CharField(_("code"), max_length=20)
    title = models.TextField(_("énoncé"))
    position = models.PositiveSmallIntegerField(_("rang"), default=0)

    class Meta:
        ordering = ["orientation", "position", "code"]
        verbose_name = _("objectif")
        verbose_name_plural = _("objectifs")
        constraints = [models.UniqueConstraint(fields=["orientation", "code"],
                                               name="objective_code_unique_in_orientation")]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class Action(models.Model):
    objective = models.ForeignKey(Objective, on_delete=models.CASCADE, related_name="actions",
                                  verbose_name=_("objectif"))
    code = models.CharField(_("code"), max_length=20)
    title = models.TextField(_("énoncé"))
    description = models.TextField(_("description"), blank=True)
    themes = models.ManyToManyField(Theme, blank=True, related_name="actions",
                                    verbose_name=_("thèmes MES"))
    position = models.PositiveSmallIntegerField(_("rang"), default=0)

    class Meta:
        ordering = ["objective", "position", "code"]
        verbose_name = _("action")
        verbose_name_plural = _("actions")
        constraints = [models.UniqueConstraint(fields=["objective", "code"],
                                               name="action_code_unique_in_objective")]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class Indicator(models.Model):
    class Unit(models.TextChoices):
        COUNT = tl.Unit.COUNT, _("nombre")
        PERCENT = tl.Unit.PERCENT, _("pourcentage")
        DURATION = tl.Unit.DURATION, _("durée (minutes)")
        DELIVERABLE = tl.Unit.DELIVERABLE, _("livrable")
        MONEY = tl.Unit.MONEY, _("montant ($)")

    class Direction(models.TextChoices):
        INCREASE = tl.Direction.INCREASE, _("une hausse est favorable")
        DECREASE = tl.Direction.DECREASE, _("une baisse est favorable")

    class Scope(models.TextChoices):
        TOTAL = "total", _("au total")
        EACH = "each", _("à chaque membre")

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="indicators",
                               verbose_name=_("action"))
    position = models.PositiveSmallIntegerField(_("rang"), default=0)
    label = models.TextField(_("indicateur"))
    unit = models.CharField(_("unité"), max_length=12, choices=Unit.choices, default=Unit.COUNT)
    direction = models.CharField(_("sens"), max_length=10, choices=Direction.choices,
                                 default=Direction.INCREASE)
    cumulative = models.BooleanField(
        _("cumulatif"), default=False,
        help_text=_("Les résultats annuels s'additionnent sur la durée du plan."))
    baseline = models.DecimalField(_("valeur de départ"), max_digits=14, decimal_places=2,
                                   null=True, blank=True)
    breakdown_label = models.CharField(
        _("ventilation"), max_length=100, blank=True,
        help_text=_("Dimension de ventilation, p. ex. « Établissement » ou « Secteur »."))
    breakdown_additive = models.BooleanField(
        _("les membres s'additionnent"), default=False,
        help_text=_("Cochez quand la somme des membres ne peut pas dépasser le total."))
    target_scope = models.CharField(_("la cible s'applique"), max_length=5,
                                    choices=Scope.choices, default=Scope.TOTAL)

    objects = IndicatorQuerySet.as_manager()

    class Meta:
        ordering = ["action", "position", "id"]
        verbose_name = _("indicateur")
        verbose_name_plural = _("indicateurs")
        constraints = [models.UniqueConstraint(fields=["action", "label"],
                                               name="indicator_label_unique_in_action")]

    def __str__(self) -> str:
        return f"{self.action.code} · {self.label}"

    @property
    def is_deliverable(self) -> bool:
        return self.unit == self.Unit.DELIVERABLE

    @property
    def per_member(self) -> bool:
        return self.target_scope == self.Scope.EACH


class BreakdownMember(models.Model):
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="members",
                                  verbose_name=_("indicateur"))
    label = models.CharField(_("membre"), max_length=200)
    position = models.PositiveSmallIntegerField(_("rang"), default=0)

    class Meta:
        ordering = ["indicator", "position", "id"]
        verbose_name = _("membre de ventilation")
        verbose_name_plural = _("membres de ventilation")
        constraints = [models.UniqueConstraint(fields=["indicator", "label"],
                                               name="member_unique_in_indicator")]

    def __str__(self) -> str:
        return self.label


class Target(models.Model):
    """A target as written in the plan, with its structured reading kept beside it.

    The reading fields are derived from ``text`` by :func:`indicators.targets.parse_target`
    whenever the target is cleaned, so admin, forms and imports never disagree.
    """

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="targets",
                                  verbose_name=_("indicateur"))
    year = models.PositiveSmallIntegerField(
        _("année"), null=True, blank=True,
        help_text=_("Début de l'exercice visé ; vide pour une cible sur toute la période."))
    text = models.CharField(_("cible (texte du plan)"), max_length=500)
    note = models.TextField(_("note de lecture"), blank=True)
    kind = models.CharField(_("nature"), max_length=12,
                            choices=[(k.value, k.value) for k in tl.Kind])
    comparator = models.CharField(_("comparateur"), max_length=10, blank=True,
                                  choices=[(c.value, c.value) for c in tl.Comparator])
    value = models.DecimalField(_("valeur"), max_digits=14, decimal_places=2, null=True,
                                blank=True)
    unit = models.CharField(_("unité lue"), max_length=12, blank=True,
                            choices=[(u.value, u.value) for u in tl.Unit])
    relative_change = models.DecimalField(_("variation relative (%)"), max_digits=7,
                                          decimal_places=2, null=True, blank=True)
    deliverable = models.CharField(_("livrable"), max_length=500, blank=True)
    per_member = models.BooleanField(_("par membre"), default=False)
    upper = models.DecimalField(_("borne supérieure"), max_digits=14, decimal_places=2,
                                null=True, blank=True)
    unit_label = models.CharField(_("libellé de l'unité"), max_length=100, blank=True)
    window_start = models.PositiveSmallIntegerField(_("période visée : début"), null=True,
                                                    blank=True)
    window_end = models.PositiveSmallIntegerField(_("période visée : fin"), null=True,
                                                  blank=True)
    cohort = models.PositiveSmallIntegerField(_("cohorte"), null=True, blank=True)
    frequency = models.CharField(_("fréquence"), max_length=10, blank=True,
                                 choices=[(f.value, f.value) for f in tl.Frequency])
    baseline = models.DecimalField(_("point de départ"), max_digits=14, decimal_places=2,
                                   null=True, blank=True)
    reference = models.CharField(_("référence de la variation"), max_length=10, blank=True,
                                 choices=[(r.value, r.value) for r in tl.Reference])
    reference_year = models.PositiveSmallIntegerField(_("année de référence"), null=True,
                                                      blank=True)
    fiscal = models.BooleanField(_("période en années financières"), default=False)
    member_label = models.CharField(_("membre nommé par la cible"), max_length=100,
                                    blank=True)

    READING_FIELDS = ["kind", "comparator", "value", "unit", "relative_change", "deliverable",
                      "per_member", "upper", "unit_label", "window_start", "window_end",
                      "cohort", "frequency", "baseline", "reference", "reference_year",
                      "fiscal", "member_label"]
    history = HistoricalRecords(excluded_fields=READING_FIELDS)
    objects = TargetQuerySet.as_manager()

    class Meta:
        ordering = ["indicator", "year"]
        verbose_name = _("cible")
        verbose_name_plural = _("cibles")
        constraints = [
            models.UniqueConstraint(fields=["indicator", "year"], condition=Q(year__isnull=False),
                                    name="one_target_per_indicator_year"),
            models.UniqueConstraint(fields=["indicator"], condition=Q(year__isnull=True),
                                    name="one_period_target_per_indicator"),
        ]

    def __str__(self) -> str:
        return f"{self.year_label} : {self.text}"

    def save(self, *args, **kwargs):
        # The reading is always derived from the text, whichever path saved it.
        self.apply_reading(tl.parse_target(self.text))
        super().save(*args, **kwargs)

    @property
    def year_label(self) -> str:
        return fiscal_year_label(self.year) if self.year else _("toute la période")

    @property
    def reading(self) -> tl.TargetReading:
        return tl.TargetReading(
            kind=tl.Kind(self.kind),
            comparator=tl.Comparator(self.comparator) if self.comparator else None,
            value=self.value,
            unit=tl.Unit(self.unit) if self.unit else None,
            relative_change=self.relative_change,
            deliverable=self.deliverable,
            per_member=self.per_member,
            upper=self.upper,
            unit_label=self.unit_label,
            window_start=self.window_start,
            window_end=self.window_end,
            cohort=self.cohort,
            frequency=tl.Frequency(self.frequency) if self.frequency else None,
            baseline=self.baseline,
            reference=tl.Reference(self.reference) if self.reference else None,
            reference_year=self.reference_year,
            fiscal=self.fiscal,
            member_label=self.member_label,
        )

    @property
    def reading_text(self) -> str:
        """How the target was understood, as the reader reads it: canonical French
        (« au moins 2 ») or, when English is chosen, English (“at least 2”)."""
        return tl.render_shown(self.reading)

    def apply_reading(self, reading: tl.TargetReading) -> None:
        self.kind = reading.kind
        self.comparator = reading.comparator or ""
        self.value = reading.value
        self.unit = reading.unit or ""
        self.relative_change = reading.relative_change
        self.deliverable = reading.deliverable
        self.per_member = reading.per_member
        self.upper = reading.upper
        self.unit_label = reading.unit_label
        self.window_start = reading.window_start
        self.window_end = reading.window_end
        self.cohort = reading.cohort
        self.frequency = reading.frequency or ""
        self.baseline = reading.baseline
        self.reference = reading.reference or ""
        self.reference_year = reading.reference_year
        self.fiscal = reading.fiscal
        self.member_label = reading.member_label

    def clean(self) -> None:
        try:
            reading = tl.parse_target(self.text)
        except tl.TargetSyntaxError as exc:
            raise ValidationError({"text": str(exc)}) from exc
        if self.indicator_id:
            problem = tl.reading_unit_error(reading, self.indicator.unit)
            if problem:
                raise ValidationError({"text": f"« {self.text} » : {problem}."})
            plan = self.indicator.action.objective.orientation.plan
            if self.year is not None and self.year not in plan.years:
                raise ValidationError({"year": _("L'année %(year)s n'est pas une année du "
                                                 "plan.") % {"year": self.year}})
        self.apply_reading(reading)


class TargetRevision(models.Model):
    """A target changed after the plan was adopted: old and new text and the reason."""

    target = models.ForeignKey(Target, on_delete=models.CASCADE, related_name="revisions",
                               verbose_name=_("cible"))
    old_text = models.CharField(_("ancienne cible"), max_length=500)
    new_text = models.CharField(_("nouvelle cible"), max_length=500)
    reason = models.TextField(_("motif"), blank=True)
    revised_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   verbose_name=_("révisée par"))
    revised_at = models.DateTimeField(_("révisée le"), default=timezone.now)

    class Meta:
        ordering = ["-revised_at"]
        verbose_name = _("révision de cible")
        verbose_name_plural = _("révisions de cibles")

    def __str__(self) -> str:
        return f"{self.old_text} → {self.new_text}"


def evidence_path(instance: Result, filename: str) -> str:
    return f"evidence/{instance.indicator_id}/{instance.year}/{filename}"


class Result(models.Model):
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="results",
                                  verbose_name=_("indicateur"))
    year = models.PositiveSmallIntegerField(_("année"))
    member = models.ForeignKey(BreakdownMember, null=True, blank=True, on_delete=models.CASCADE,
                               related_name="results", verbose_name=_("membre"))
    value = models.DecimalField(_("valeur"), max_digits=14, decimal_places=2, null=True,
                                blank=True, validators=[MinValueValidator(Decimal(0))])
    numerator = models.DecimalField(_("numérateur"), max_digits=14, decimal_places=2,
                                    null=True, blank=True)
    denominator = models.DecimalField(_("dénominateur"), max_digits=14, decimal_places=2,
                                      null=True, blank=True)
    done = models.BooleanField(_("réalisé"), null=True, blank=True)
    done_on = models.DateField(_("réalisé le"), null=True, blank=True)
    not_applicable = models.BooleanField(_("non applicable"), default=False)
    not_applicable_reason = models.TextField(_("motif de non-application"), blank=True)
    comment = models.TextField(_("commentaire"), blank=True)
    evidence_url = models.URLField(_("lien vers la pièce justificative"), max_length=500,
                                   blank=True)
    evidence_file = models.FileField(_("pièce justificative"), upload_to=evidence_path,
                                     blank=True, max_length=300)
    is_demo = models.BooleanField(_("donnée de démonstration"), default=False)
    computed_value = models.DecimalField(
        _("valeur calculée"), max_digits=14, decimal_places=2, null=True, blank=True,
        help_text=_("Calculée à partir du registre d'activités ; vide pour une saisie."))
    override_reason = models.TextField(
        _("motif du remplacement"), blank=True,
        help_text=_("Rempli quand la coordination remplace la valeur calculée."))
    version = models.PositiveIntegerField(_("version"), default=1)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, verbose_name=_("saisi par"))
    updated_at = models.DateTimeField(_("mis à jour le"), auto_now=True)

    history = HistoricalRecords()
    objects = ResultQuerySet.as_manager()

    class Meta:
        ordering = ["indicator", "year", "member"]
        verbose_name = _("résultat")
        verbose_name_plural = _("résultats")
        constraints = [
            models.UniqueConstraint(fields=["indicator", "year"],
                                    condition=Q(member__isnull=True),
                                    name="one_total_result_per_indicator_year"),
            models.UniqueConstraint(fields=["indicator", "year", "member"],
                                    condition=Q(member__isnull=False),
                                    name="one_member_result_per_indicator_year"),
            models.CheckConstraint(condition=Q(value__isnull=True) | Q(value__gte=0),
                                   name="result_value_not_negative"),
            models.CheckConstraint(
                condition=Q(numerator__isnull=True) | Q(numerator__gte=0),
                name="result_numerator_not_negative"),
            models.CheckConstraint(
                condition=Q(denominator__isnull=True) | Q(denominator__gt=0),
                name="result_denominator_positive"),
        ]

    def __str__(self) -> str:
        member = f" [{self.member}]" if self.member_id else ""
        return f"{self.indicator_id} {fiscal_year_label(self.year)}{member}"

    @property
    def measure(self) -> tl.Measure:
        return tl.Measure(value=self.value, done=self.done, not_applicable=self.not_applicable)

    @property
    def has_evidence(self) -> bool:
        return bool(self.evidence_url or self.evidence_file)

    @property
    def is_overridden(self) -> bool:
        """A computed result whose value a coordinator replaced, with a reason."""
        return self.computed_value is not None and bool(self.override_reason)


class Membership(models.Model):
    """Ties a user to a pôle with a role; ministry staff read every pôle."""

    class Role(models.TextChoices):
        COORDINATOR = "coordinator", _("coordination")
        DIRECTOR = "director", _("direction")
        MINISTRY = "ministry", _("ministère")

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                related_name="membership", verbose_name=_("utilisateur"))
    pole = models.ForeignKey(Pole, null=True, blank=True, on_delete=models.CASCADE,
                             related_name="memberships", verbose_name=_("pôle"))
    role = models.CharField(_("rôle"), max_length=12, choices=Role.choices)

    class Meta:
        verbose_name = _("appartenance")
        verbose_name_plural = _("appartenances")
        constraints = [
            models.CheckConstraint(
                condition=Q(role="ministry", pole__isnull=True)
                | (~Q(role="ministry") & Q(pole__isnull=False)),
                name="membership_pole_matches_role"),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} — {self.pole or _('tous les pôles')}"

    def clean(self) -> None:
        if self.role == self.Role.MINISTRY and self.pole_id:
            raise ValidationError({"pole": _("Un compte du ministère n'est lié à aucun pôle.")})
        if self.role != self.Role.MINISTRY and not self.pole_id:
            raise ValidationError({"pole": _("Choisissez le pôle de ce compte.")})


class YearReport(models.Model):
    """The state of one plan year's reporting: draft → submitted → approved."""

    State = YearState  # declared with its gestures in indicators.workflow

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="year_reports",
                             verbose_name=_("plan"))
    year = models.PositiveSmallIntegerField(_("année"))
    state = models.CharField(_("état"), max_length=10, choices=State.choices,
                             default=State.DRAFT)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+",
                                   verbose_name=_("dernier changement par"))
    changed_at = models.DateTimeField(_("dernier changement le"), null=True, blank=True)

    class Meta:
        ordering = ["plan", "year"]
        verbose_name = _("reddition annuelle")
        verbose_name_plural = _("redditions annuelles")
        constraints = [models.UniqueConstraint(fields=["plan", "year"],
                                               name="one_report_per_plan_year")]

    def __str__(self) -> str:
        return f"{self.plan.pole} {fiscal_year_label(self.year)} ({self.get_state_display()})"

    @cached_property
    def year_label(self) -> str:
        return fiscal_year_label(self.year)


class YearTransition(models.Model):
    """Every move of a year's state, with who, when and the director's comment."""

    report = models.ForeignKey(YearReport, on_delete=models.CASCADE, related_name="transitions",
                               verbose_name=_("reddition"))
    from_state = models.CharField(_("de"), max_length=10, choices=YearReport.State.choices)
    to_state = models.CharField(_("vers"), max_length=10, choices=YearReport.State.choices)
    action = models.CharField(_("geste"), max_length=10)
    comment = models.TextField(_("commentaire"), blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                           verbose_name=_("par"))
    at = models.DateTimeField(_("le"), default=timezone.now)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("changement d'état")
        verbose_name_plural = _("changements d'état")

    def __str__(self) -> str:
        return f"{self.from_state} → {self.to_state}"


class ThemeChange(models.Model):
    """The history of MES theme attachments: one row per theme attached to or detached from an
    action, by whom and when (written by ``services.action_themes_set``)."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="theme_changes",
                               verbose_name=_("action"))
    theme = models.ForeignKey(Theme, on_delete=models.PROTECT, related_name="+",
                              verbose_name=_("thème MES"))
    attached = models.BooleanField(_("rattachée"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                           verbose_name=_("par"))
    at = models.DateTimeField(_("le"), default=timezone.now)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("rattachement à un thème MES")
        verbose_name_plural = _("rattachements aux thèmes MES")

    def __str__(self) -> str:
        sign = "+" if self.attached else "−"
        return f"{self.action.code} {sign} {self.theme.code}"


class StoredEvaluation(models.Model):
    """What :func:`indicators.targets.evaluate` says of one indicator and year, kept so that
    dashboards count statuses in SQL instead of evaluating every indicator on a read.

    Written by :func:`indicators.evaluations.evaluations_refresh` in the same transaction as
    every change that affects it. Only the date-dependent part is left for read time: the row
    holds the judgement while the judged period runs (``*_open``) and once it is over
    (``*_closed``), and the last day of that period (``closes_on``: the year's March 31, or
    the plan's last one when the target judges the whole period);
    :meth:`StoredEvaluationQuerySet.with_status` picks one in the query. Per-member
    judgements are kept as JSON in ``members`` (label → statuses and achievement).
    """

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE,
                                  related_name="stored_evaluations",
                                  verbose_name=_("indicateur"))
    # The plan, denormalised so that counts per pôle need no join through the hierarchy.
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="+",
                             verbose_name=_("plan"))
    year = models.PositiveSmallIntegerField(_("année"))
    status_open = models.CharField(_("statut, période en cours"), max_length=20)
    status_closed = models.CharField(_("statut, période terminée"), max_length=20)
    degree_open = models.CharField(_("degré, période en cours"), max_length=20, blank=True)
    degree_closed = models.CharField(_("degré, période terminée"), max_length=20, blank=True)
    reason_open = models.TextField(_("motif, période en cours"), blank=True)
    reason_closed = models.TextField(_("motif, période terminée"), blank=True)
    closes_on = models.DateField(_("fin de la période jugée"))
    achievement = models.DecimalField(_("atteinte (%)"), max_digits=20, decimal_places=1,
                                      null=True, blank=True)
    resolved_target = models.DecimalField(_("cible résolue"), max_digits=24, decimal_places=6,
                                          null=True, blank=True)
    measured = models.DecimalField(_("valeur mesurée"), max_digits=24, decimal_places=6,
                                   null=True, blank=True)
    members = models.JSONField(_("membres"), default=dict, blank=True)
    has_result = models.BooleanField(_("résultat saisi"), default=False)
    has_demo = models.BooleanField(_("donnée de démonstration"), default=False)

    objects = StoredEvaluationQuerySet.as_manager()

    class Meta:
        verbose_name = _("évaluation enregistrée")
        verbose_name_plural = _("évaluations enregistrées")
        constraints = [
            models.UniqueConstraint(fields=["indicator", "year"],
                                    name="one_stored_evaluation_per_indicator_year"),
        ]
        indexes = [models.Index(fields=["year", "plan"], name="stored_eval_year_plan")]

    def __str__(self) -> str:
        return f"{self.indicator_id} {fiscal_year_label(self.year)}"


class ActionProgress(models.Model):
    """What became of one action in one plan year: its state, a short narrative of what was
    done (plain text: line breaks and simple lists, never HTML) and, when the action was
    postponed or abandoned, why. Part of the year: written only by
    :func:`indicators.action_progress.action_progress_save`, which refuses a year that is not
    a draft."""

    class State(models.TextChoices):
        NOT_STARTED = "not_started", _("non amorcée")
        IN_PROGRESS = "in_progress", _("en cours")
        DONE = "done", _("réalisée")
        POSTPONED = "postponed", _("reportée")
        ABANDONED = "abandoned", _("abandonnée")
        ONGOING = "ongoing", _("en continu")

    # The states that must say why.
    REASON_STATES = frozenset({State.POSTPONED, State.ABANDONED})

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="progress",
                               verbose_name=_("action"))
    year = models.PositiveSmallIntegerField(_("année"))
    state = models.CharField(_("état de l'action"), max_length=12, choices=State.choices)
    narrative = models.TextField(_("ce qui a été fait"), blank=True)
    reason = models.TextField(_("motif"), blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+",
                                   verbose_name=_("saisi par"))
    updated_at = models.DateTimeField(_("mis à jour le"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["action", "year"]
        verbose_name = _("avancement d'une action")
        verbose_name_plural = _("avancements des actions")
        constraints = [
            models.UniqueConstraint(fields=["action", "year"],
                                    name="one_progress_per_action_year"),
            models.CheckConstraint(
                condition=~Q(state__in=["postponed", "abandoned"]) | ~Q(reason=""),
                name="action_progress_reason_when_postponed_or_abandoned"),
        ]

    def __str__(self) -> str:
        return f"{self.action_id} {fiscal_year_label(self.year)} {self.state}"

    @classmethod
    def reason_problem(cls, state: str, reason: str) -> str:
        """The one rule on a state and its reason (form, sheet and model): '' when fine."""
        if state in cls.REASON_STATES and not (reason or "").strip():
            return _("Une action %(state)s doit dire pourquoi : indiquez le motif.") % {
                "state": cls.State(state).label}
        return ""

    def clean(self) -> None:
        problem = self.reason_problem(self.state, self.reason)
        if problem:
            raise ValidationError({"reason": problem})
