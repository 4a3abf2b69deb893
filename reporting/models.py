"""What a pôle filed: each approval of a year keeps the files made at that moment.

A :class:`Filing` is one version of a pôle-year's reddition (1 at the first approval, 2 after
a reopen and a new approval, …), with who approved it, when, and a snapshot of its figures
(results, targets, action states) from which the differences between versions are listed.
Its :class:`FiledFile` rows are the workbook, the CSV and the PDF, stored once through
Django's storage API (local files by default) with their SHA-256: a download serves those
bytes, never a regeneration.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from indicators.models import Plan, fiscal_year_label


class Filing(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="filings",
                             verbose_name=_("plan"))
    year = models.PositiveSmallIntegerField(_("année"))
    version = models.PositiveIntegerField(_("version"))
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+", verbose_name=_("approuvée par"))
    approved_at = models.DateTimeField(_("approuvée le"))
    comment = models.TextField(_("faits saillants"), blank=True)
    snapshot = models.JSONField(_("figures déposées"), default=dict)

    class Meta:
        ordering = ["plan", "year", "-version"]
        verbose_name = _("dépôt")
        verbose_name_plural = _("dépôts")
        constraints = [models.UniqueConstraint(fields=["plan", "year", "version"],
                                               name="one_filing_per_version")]

    def __str__(self) -> str:
        return f"{self.plan.pole} {fiscal_year_label(self.year)} v{self.version}"


def filed_path(instance: FiledFile, filename: str) -> str:
    filing = instance.filing
    return f"filings/{filing.plan_id}/{filing.year}/v{filing.version}/{filename}"


class FiledFile(models.Model):
    class Kind(models.TextChoices):
        PDF = "pdf", _("rapport (PDF)")
        WORKBOOK = "xlsx", _("classeur (xlsx)")
        CSV = "csv", _("résultats (CSV)")

    filing = models.ForeignKey(Filing, on_delete=models.CASCADE, related_name="files",
                               verbose_name=_("dépôt"))
    kind = models.CharField(_("nature"), max_length=4, choices=Kind.choices)
    file = models.FileField(_("fichier"), upload_to=filed_path, max_length=300)
    filename = models.CharField(_("nom du fichier"), max_length=200)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveIntegerField(_("taille (octets)"))
    sha256 = models.CharField(_("empreinte SHA-256"), max_length=64)

    class Meta:
        ordering = ["filing", "kind"]
        verbose_name = _("fichier déposé")
        verbose_name_plural = _("fichiers déposés")
        constraints = [models.UniqueConstraint(fields=["filing", "kind"],
                                               name="one_file_per_kind_and_filing")]

    def __str__(self) -> str:
        return self.filename
