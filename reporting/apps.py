from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportingConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "reporting"
    verbose_name = _("Tableaux de bord et redditions")

    def ready(self) -> None:
        from indicators import hooks
        from reporting.filings import filing_on_approval

        hooks.year_approved_install(filing_on_approval)
