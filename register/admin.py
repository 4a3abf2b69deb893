"""Admin of the register: the directory, activity kinds (data), activities and rules."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from indicators.admin import HistoryAdmin, ReadOnlyAdmin
from register.models import Activity, ActivityKind, IndicatorRule, Organisation


@admin.register(Organisation)
class OrganisationAdmin(HistoryAdmin):
    list_display = ["name", "abbreviation", "kind", "region", "official_code", "pole"]
    list_filter = ["kind", "region", "pole"]
    search_fields = ["name", "abbreviation", "official_code"]
    autocomplete_fields = ["parent"]


@admin.register(ActivityKind)
class ActivityKindAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "is_agreement", "position"]
    list_editable = ["position"]
    prepopulated_fields = {"code": ["name"]}


@admin.register(Activity)
class ActivityAdmin(ReadOnlyAdmin, HistoryAdmin):
    """Activities change on the register's pages (lock, recompute, history), not here."""

    list_display = ["title", "pole", "kind", "status", "start_date", "end_date", "app_link"]
    list_filter = ["pole", "kind", "status"]
    search_fields = ["title"]
    list_select_related = ["pole", "kind"]
    readonly_fields = ["app_link"]

    @admin.display(description=_("modifier"))
    def app_link(self, activity: Activity) -> str:
        url = reverse("register:edit", args=[activity.pole.code, activity.pk])
        return format_html('<a href="{}">{}</a>', url, _("Ouvrir dans le registre"))


@admin.register(IndicatorRule)
class IndicatorRuleAdmin(HistoryAdmin):
    list_display = ["indicator", "kind"]
    list_filter = ["kind"]
    filter_horizontal = ["activity_kinds"]
    raw_id_fields = ["indicator"]

    def save_related(self, request, form, formsets, change):
        """A new or changed rule rewrites the pôle's computed results (draft years)."""
        super().save_related(request, form, formsets, change)
        from register.services import register_results_update

        pole = form.instance.indicator.action.objective.orientation.plan.pole
        register_results_update(pole=pole, user=request.user)
