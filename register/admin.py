"""Admin of the register: the directory, activity kinds (data), activities and rules."""

from django.contrib import admin
from django.http import Http404
from simple_history.admin import SimpleHistoryAdmin

from register.models import Activity, ActivityKind, IndicatorRule, Organisation


class HistoryAdmin(SimpleHistoryAdmin):
    """simple_history's pages, with a 404 (not a 500) for an id that is not a key."""

    @staticmethod
    def _is_key(value) -> bool:
        return str(value).isascii() and str(value).isdigit() and len(str(value)) <= 18

    def history_view(self, request, object_id, extra_context=None):
        if not self._is_key(object_id):
            raise Http404
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if not (self._is_key(object_id) and self._is_key(version_id)):
            raise Http404
        return super().history_form_view(request, object_id, version_id, extra_context)


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
class ActivityAdmin(HistoryAdmin):
    list_display = ["title", "pole", "kind", "status", "start_date", "end_date"]
    list_filter = ["pole", "kind", "status"]
    search_fields = ["title"]
    autocomplete_fields = ["organisations"]
    filter_horizontal = ["actions"]


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
