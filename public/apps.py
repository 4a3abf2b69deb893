from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "public"
    verbose_name = _("Pages publiques et données ouvertes")

    def ready(self) -> None:
        from indicators import hooks
        from public.demo import demo_load

        hooks.demo_loader_install(demo_load)
