"""The ministry's reporting campaign: due dates per year, extensions per pôle, the log of
reminders sent, and the corrections asked on a filed year."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from indicators.models import Action, Indicator, Pole, YearReport, YearTransition, fiscal_year_label


class Milestone(models.TextChoices):
    """A due date of the campaign: the coordination submits, then the direction approves."""

    SUBMISSION = "submission", _("soumission")
    APPROVAL = "approval", _("approbation")


class Campaign(models.Model):
    """One reporting year's campaign (« reddition 2025-2026 ») and its two due dates."""

    year = models.PositiveSmallIntegerField(_("année de reddition"), unique=True)
    submission_due = models.DateField(_("échéance de soumission"))
    approval_due = models.DateField(_("échéance d'approbation"))
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                  related_name="+", verbose_name=_("ouverte par"))
    opened_at = models.DateTimeField(_("ouverte le"), default=timezone.now)

    class Meta:
        ordering = ["-year"]
        verbose_name = _("campagne de reddition")
        verbose_name_plural = _("campagnes de reddition")
        constraints = [models.CheckConstraint(
            condition=Q(approval_due__gte=F("submission_due")),
            name="campaign_approval_after_submission")]

    def __str__(self) -> str:
        return str(_("Reddition %(year)s") % {"year": self.year_label})

    @property
    def year_label(self) -> str:
        return fiscal_year_label(self.year)

    def due(self, milestone: str) -> datetime.date:
        return self.submission_due if milestone == Milestone.SUBMISSION else self.approval_due


class Extension(models.Model):
    """A pôle's own due dates for a campaign, and why they were granted."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="extensions",
                                 verbose_name=_("campagne"))
    pole = models.ForeignKey(Pole, on_delete=models.CASCADE, related_name="+",
                             verbose_name=_("pôle"))
    submission_due = models.DateField(_("échéance de soumission prolongée"))
    approval_due = models.DateField(_("échéance d'approbation prolongée"))
    reason = models.TextField(_("motif"))
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("accordée par"))
    granted_at = models.DateTimeField(_("accordée le"), default=timezone.now)

    class Meta:
        ordering = ["pole__name"]
        verbose_name = _("prolongation")
        verbose_name_plural = _("prolongations")
        constraints = [
            models.UniqueConstraint(fields=["campaign", "pole"], name="one_extension_per_pole"),
            models.CheckConstraint(condition=Q(approval_due__gte=F("submission_due")),
                                   name="extension_approval_after_submission"),
        ]

    def __str__(self) -> str:
        return f"{self.campaign} — {self.pole}"


class ReminderSent(models.Model):
    """One reminder e-mailed to one person: the log that makes ``send_reminders`` idempotent
    (``key`` names the campaign, pôle, due date, moment and person) and what people see of
    their reminders on their account page."""

    key = models.CharField(_("clé"), max_length=200, unique=True)
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="reminders",
                                 verbose_name=_("campagne"))
    pole = models.ForeignKey(Pole, null=True, blank=True, on_delete=models.CASCADE,
                             related_name="+", verbose_name=_("pôle"))
    milestone = models.CharField(_("échéance"), max_length=12, choices=Milestone.choices)
    moment = models.CharField(_("moment"), max_length=20)
    due = models.DateField(_("date d'échéance"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="reminders", verbose_name=_("destinataire"))
    email = models.EmailField(_("adresse"))
    subject = models.CharField(_("objet"), max_length=300)
    sent_on = models.DateField(_("envoyé pour le"))
    sent_at = models.DateTimeField(_("envoyé le"), default=timezone.now)

    class Meta:
        ordering = ["-sent_at", "-id"]
        verbose_name = _("rappel envoyé")
        verbose_name_plural = _("rappels envoyés")

    def __str__(self) -> str:
        return self.key


class CorrectionPoint(models.Model):
    """One point the ministry asked to correct in a filed year (an indicator, an action, or
    the whole year when neither is set), and the coordination's answer."""

    report = models.ForeignKey(YearReport, on_delete=models.CASCADE,
                               related_name="correction_points", verbose_name=_("reddition"))
    asked_in = models.ForeignKey(YearTransition, on_delete=models.CASCADE,
                                 related_name="correction_points",
                                 verbose_name=_("demandée par le geste"))
    indicator = models.ForeignKey(Indicator, null=True, blank=True, on_delete=models.CASCADE,
                                  related_name="+", verbose_name=_("indicateur"))
    action = models.ForeignKey(Action, null=True, blank=True, on_delete=models.CASCADE,
                               related_name="+", verbose_name=_("action"))
    message = models.TextField(_("demande"))
    answer = models.TextField(_("réponse"), blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("réponse par"))
    answered_at = models.DateTimeField(_("réponse le"), null=True, blank=True)

    class Meta:
        ordering = ["asked_in__at", "id"]
        verbose_name = _("correction demandée")
        verbose_name_plural = _("corrections demandées")
        constraints = [models.CheckConstraint(
            condition=Q(indicator__isnull=True) | Q(action__isnull=True),
            name="correction_point_one_subject")]

    def __str__(self) -> str:
        return self.message[:60]

    @property
    def is_answered(self) -> bool:
        return bool(self.answer)
