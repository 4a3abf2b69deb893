"""French admin for the whole plan hierarchy, with search, filters and the plan import."""

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportMixin
from import_export.formats.base_formats import CSV, XLSX
from import_export.forms import ConfirmImportForm, ImportForm
from simple_history.admin import SimpleHistoryAdmin

from indicators import services
from indicators.entry import line_url
from indicators.evaluations import evaluations_refresh
from indicators.models import (
    Action,
    BreakdownMember,
    Indicator,
    Membership,
    Objective,
    Orientation,
    Plan,
    Pole,
    Result,
    Target,
    TargetRevision,
    Theme,
    YearReport,
    YearTransition,
)
from indicators.plan_import import PlanResource, plan_rows, rows_to_csv


class RefreshesEvaluations:
    """Admin edits that change an evaluation store it again, in the same transaction.

    A plan (its years may change) refreshes all its indicators; an indicator (with its
    targets and members inline), a target or a result refreshes its indicator. Deleting a
    plan or an indicator deletes its stored rows with it.
    """

    def _refresh(self, obj) -> None:
        if isinstance(obj, Plan):
            evaluations_refresh(plan=obj)
        else:
            evaluations_refresh(indicators=[obj if isinstance(obj, Indicator)
                                            else obj.indicator_id])

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        self._refresh(form.instance)

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        if not isinstance(obj, (Plan, Indicator)):
            self._refresh(obj)

    def delete_queryset(self, request, queryset):
        affected = [obj for obj in queryset if not isinstance(obj, (Plan, Indicator))]
        super().delete_queryset(request, queryset)
        evaluations_refresh(indicators=[obj.indicator_id for obj in affected])


class ViewOnly:
    """Shown, never added, changed or deleted here (a model admin or an inline)."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyAdmin(ViewOnly):
    """A record that changes only through the app's own pages (the services' write boundary:
    the year's lock, versions, history and stored evaluations). The admin shows it, its
    history and a link to the page where it is changed; it neither adds, changes, deletes
    nor reverts it."""

    def has_change_history_permission(self, request, obj=None):
        return False

    def revert_disabled(self, request, obj=None):
        return True

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method == "POST":  # simple_history saves a revert without asking
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)


class EvaluationSettingsForm(forms.ModelForm):
    """An indicator's or a plan's settings that enter its evaluations (unit, direction,
    years…) do not change while one of the plan's years is submitted or approved
    (``services.evaluation_settings_problem``, the one rule)."""

    def clean(self):
        data = super().clean()
        problem = services.evaluation_settings_problem(self.instance, self.changed_data)
        if problem:
            raise forms.ValidationError(problem)
        return data


admin.site.site_header = _("Pôle Plan — administration")
admin.site.site_title = _("Pôle Plan")
admin.site.index_title = _("Administration")


@admin.register(Pole)
class PoleAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "region"]
    search_fields = ["name", "code", "region"]
    prepopulated_fields = {"code": ["name"]}


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin):
    list_display = ["number", "short_label"]
    search_fields = ["short_label", "description"]


class OrientationInline(admin.TabularInline):
    model = Orientation
    extra = 0
    fields = ["code", "title", "theme", "position"]


@admin.register(Plan)
class PlanAdmin(RefreshesEvaluations, admin.ModelAdmin):
    form = EvaluationSettingsForm
    list_display = ["title", "pole", "first_year", "last_year"]
    list_filter = ["pole"]
    search_fields = ["title", "pole__name"]
    inlines = [OrientationInline]
    actions = ["download_import_file"]

    @admin.action(description=_("Télécharger au format d'importation (CSV)"))
    def download_import_file(self, request, queryset):
        plan = queryset.first()
        response = HttpResponse(rows_to_csv(plan_rows(plan)), content_type="text/csv")
        response["Content-Disposition"] = f'attachment; filename="plan-{plan.pk}.csv"'
        return response


class ObjectiveInline(admin.TabularInline):
    model = Objective
    extra = 0
    fields = ["code", "title", "position"]


@admin.register(Orientation)
class OrientationAdmin(admin.ModelAdmin):
    list_display = ["code", "title", "plan", "theme"]
    list_filter = ["plan__pole", "theme"]
    search_fields = ["code", "title"]
    inlines = [ObjectiveInline]


class ActionInline(admin.TabularInline):
    model = Action
    extra = 0
    fields = ["code", "title", "position"]


@admin.register(Objective)
class ObjectiveAdmin(admin.ModelAdmin):
    list_display = ["code", "title", "orientation"]
    list_filter = ["orientation__plan__pole"]
    search_fields = ["code", "title"]
    inlines = [ActionInline]


class IndicatorInline(admin.TabularInline):
    model = Indicator
    form = EvaluationSettingsForm
    extra = 0
    fields = ["position", "label", "unit", "direction", "cumulative"]


@admin.register(Action)
class ActionAdmin(admin.ModelAdmin):
    list_display = ["code", "title", "objective", "theme_list"]
    list_filter = ["objective__orientation__plan__pole", "themes"]
    search_fields = ["code", "title", "description"]
    filter_horizontal = ["themes"]
    inlines = [IndicatorInline]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related(
            "objective__orientation__plan").prefetch_related("themes")

    def save_related(self, request, form, formsets, change):
        """Its indicators (inline) may have changed: their evaluations are stored again."""
        super().save_related(request, form, formsets, change)
        evaluations_refresh(indicators=list(form.instance.indicators.values_list("pk",
                                                                                 flat=True)))

    @admin.display(description=_("thèmes MES"))
    def theme_list(self, obj):
        return ", ".join(t.code for t in obj.themes.all()) or "—"


class TargetReadingMixin:
    @admin.display(description=_("cible lue comme"))
    def target_reading(self, target: Target) -> str:
        return target.reading_text if target.kind else ""


class TargetInline(ViewOnly, TargetReadingMixin, admin.TabularInline):
    """Targets change on the target revision page (lock, reason, revision) or by a plan
    import, never here."""

    model = Target
    extra = 0
    fields = ["year", "text", "note", "target_reading"]
    readonly_fields = fields


class MemberInline(admin.TabularInline):
    """Members enter every evaluation of their indicator: fixed while a year of the plan is
    submitted or approved."""

    model = BreakdownMember
    extra = 0

    def _locked(self, obj) -> bool:
        """Read once per indicator shown (three permission checks ask it)."""
        if obj is None:
            return False
        if not hasattr(obj, "_plan_locked"):
            obj._plan_locked = bool(services.plan_locked_years(
                obj.action.objective.orientation.plan))
        return obj._plan_locked

    def has_add_permission(self, request, obj=None):
        return not self._locked(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return not self._locked(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not self._locked(obj) and super().has_delete_permission(request, obj)


class PlanChoiceImportForm(ImportForm):
    plan = forms.ModelChoiceField(queryset=Plan.objects.select_related("pole"),
                                  label=_("Plan"), required=True)


class PlanChoiceConfirmForm(ConfirmImportForm):
    plan = forms.ModelChoiceField(queryset=Plan.objects.all(), widget=forms.HiddenInput())


@admin.register(Indicator)
class IndicatorAdmin(RefreshesEvaluations, ImportMixin, admin.ModelAdmin):
    form = EvaluationSettingsForm
    resource_classes = [PlanResource]
    formats = [CSV, XLSX]  # the plan formats; no html, json or yaml door
    import_template_name = "admin/indicators/indicator/import.html"  # + targets as read
    import_form_class = PlanChoiceImportForm
    confirm_form_class = PlanChoiceConfirmForm
    list_display = ["label", "action", "unit", "direction", "cumulative", "target_scope"]
    list_filter = ["action__objective__orientation__plan__pole", "unit", "direction",
                   "cumulative", "target_scope"]
    search_fields = ["label", "action__code", "action__title"]
    list_select_related = ["action"]
    inlines = [TargetInline, MemberInline]

    def get_import_resource_kwargs(self, request, *args, **kwargs):
        form = kwargs.get("form")
        plan = form.cleaned_data.get("plan") if form is not None and form.is_valid() else None
        return {"plan": plan, "user": request.user}

    def get_confirm_form_initial(self, request, import_form):
        initial = super().get_confirm_form_initial(request, import_form)
        if import_form is not None:
            initial["plan"] = import_form.cleaned_data["plan"].pk
        return initial

    def get_import_data_kwargs(self, **kwargs):
        kwargs = super().get_import_data_kwargs(**kwargs)
        kwargs["rollback_on_validation_errors"] = True
        return kwargs


class HistoryAdmin(SimpleHistoryAdmin):
    """simple_history's history pages, with a 404 (not a 500) for an id that is not a key."""

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


@admin.register(Target)
class TargetAdmin(ReadOnlyAdmin, TargetReadingMixin, HistoryAdmin):
    list_display = ["indicator", "year", "text", "target_reading", "kind", "comparator", "unit",
                    "app_link"]
    list_filter = ["kind", "unit", "year", "indicator__action__objective__orientation__plan__pole"]
    search_fields = ["text", "note", "indicator__label"]
    readonly_fields = ["app_link", "target_reading", *Target.READING_FIELDS]
    list_select_related = ["indicator__action"]

    @admin.display(description=_("modifier"))
    def app_link(self, target: Target) -> str:
        url = reverse("indicators:target_revise",
                      args=[target.indicator_id, target.year or "periode"])
        return format_html('<a href="{}">{}</a>', url, _("Réviser la cible dans Pôle Plan"))


@admin.register(TargetRevision)
class TargetRevisionAdmin(admin.ModelAdmin):
    list_display = ["target", "old_text", "new_text", "revised_by", "revised_at"]
    search_fields = ["old_text", "new_text", "reason"]
    list_filter = ["revised_at"]


@admin.register(Result)
class ResultAdmin(ReadOnlyAdmin, HistoryAdmin):
    list_display = ["indicator", "year", "member", "value", "done", "not_applicable",
                    "is_demo", "updated_by", "updated_at", "app_link"]
    readonly_fields = ["app_link"]
    list_filter = ["year", "is_demo", "not_applicable",
                   "indicator__action__objective__orientation__plan__pole"]
    search_fields = ["indicator__label", "comment"]
    list_select_related = ["indicator__action__objective__orientation", "member", "updated_by"]

    @admin.display(description=_("modifier"))
    def app_link(self, result: Result) -> str:
        orientation = result.indicator.action.objective.orientation
        url = line_url(reverse("indicators:entry", args=[orientation.plan_id, result.year]),
                       orientation.pk, "i", result.indicator_id)
        return format_html('<a href="{}">{}</a>', url, _("Saisir sur la page de saisie"))


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "pole", "role"]
    list_filter = ["role", "pole"]
    search_fields = ["user__username", "user__email"]


class TransitionInline(admin.TabularInline):
    model = YearTransition
    extra = 0
    readonly_fields = ["from_state", "to_state", "action", "comment", "by", "at"]


@admin.register(YearReport)
class YearReportAdmin(ReadOnlyAdmin, admin.ModelAdmin):
    """A year moves only by the gestures of the workflow (``indicators.workflow``), made on
    the entry page and the pôle dashboard, each recorded."""

    list_display = ["plan", "year", "state", "changed_by", "changed_at"]
    list_filter = ["state", "year", "plan__pole"]
    inlines = [TransitionInline]
