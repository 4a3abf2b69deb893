"""Admin of the register: the directory, activity kinds (data), activities and rules.

An organisation named by activities is never deleted here (its links would vanish from
approved years too): the admin offers « Fusionner dans… » (``organisations_merge``) and the
« active » flag instead.
"""

from django import forms
from django.contrib import admin, messages
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from indicators.admin import HistoryAdmin, ReadOnlyAdmin
from register.models import (
    Activity,
    ActivityKind,
    IndicatorRule,
    Organisation,
    OrganisationMerge,
)


class OrganisationMergeForm(forms.Form):
    into = forms.ModelChoiceField(queryset=Organisation.objects.none(),
                                  label=gettext_lazy("Fusionner dans"))

    def __init__(self, data=None, *, sources, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["into"].queryset = (Organisation.objects.filter(is_active=True)
                                        .exclude(pk__in=[s.pk for s in sources])
                                        .order_by("name"))


@admin.register(Organisation)
class OrganisationAdmin(HistoryAdmin):
    list_display = ["name", "abbreviation", "kind", "region", "official_code", "pole",
                    "is_active"]
    list_filter = ["is_active", "kind", "region", "pole"]
    search_fields = ["name", "abbreviation", "official_code"]
    autocomplete_fields = ["parent"]
    actions = ["merge_into"]

    def has_delete_permission(self, request, obj=None) -> bool:
        if obj is not None and obj.activities.exists():
            return False
        return super().has_delete_permission(request, obj)

    def delete_queryset(self, request, queryset) -> None:
        in_use = list(queryset.filter(activities__isnull=False).distinct().order_by("name"))
        if in_use:
            self.message_user(request, _(
                "Rien n'est supprimé : %(names)s sont nommées par des activités. Fusionnez-les "
                "dans une autre organisation ou rendez-les inactives.") % {
                    "names": " ; ".join(o.name for o in in_use)}, messages.ERROR)
            return
        super().delete_queryset(request, queryset)

    @admin.action(description=gettext_lazy("Fusionner dans…"),
                  permissions=["change"])
    def merge_into(self, request, queryset):
        """Intermediate page: choose the organisation the selected ones are merged into."""
        from register.services import MergeRefused, organisations_merge

        sources = list(queryset.order_by("name"))
        form = OrganisationMergeForm(request.POST if "apply" in request.POST else None,
                                     sources=sources)
        if form.is_valid():
            into = form.cleaned_data["into"]
            for source in sources:
                try:
                    merge = organisations_merge(source=source, into=into, user=request.user)
                except MergeRefused as exc:
                    self.message_user(request, str(exc), messages.ERROR)
                    continue
                self.message_user(request, _(
                    "« %(source)s » fusionnée dans « %(into)s » : activités déplacées : "
                    "%(moved)s ; laissées dans des années soumises ou approuvées : %(kept)s.")
                    % {"source": merge.source_name, "into": into.name,
                       "moved": merge.activities_moved, "kept": merge.activities_kept},
                    messages.SUCCESS)
            return None
        return TemplateResponse(request, "register/organisation_merge.html", {
            **self.admin_site.each_context(request), "title": _("Fusionner des organisations"),
            "opts": self.model._meta, "sources": sources, "form": form,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        })


@admin.register(OrganisationMerge)
class OrganisationMergeAdmin(admin.ModelAdmin):
    """The record of merges: read only (a merge is made with « Fusionner dans… »)."""

    list_display = ["source_name", "into_name", "by", "at", "activities_moved",
                    "activities_kept"]
    search_fields = ["source_name", "into_name"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


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

    @admin.display(description=gettext_lazy("modifier"))
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
