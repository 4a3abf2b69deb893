from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegisterConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "register"
    verbose_name = _("Registre d'activités")

    def ready(self) -> None:
        from indicators import hooks
        from register import guards
        from register.demo import demo_load
        from register.rules import computed_sources

        hooks.computed_reader_install(computed_sources)
        hooks.demo_loader_install(demo_load)
        guards.connect()
