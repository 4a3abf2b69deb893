from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CampaignsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "campaigns"
    verbose_name = _("Campagnes de reddition")

    def ready(self) -> None:
        from campaigns.selectors import year_notices
        from indicators import hooks

        hooks.notices_reader_install(year_notices)
