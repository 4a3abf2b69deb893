"""The MES theme attachments of a plan's actions: directors attach, every reader sees."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from indicators import access, selectors
from indicators.themes import ActionThemesForm, ThemesConflict, action_themes_save


@login_required
@require_http_methods(["GET", "POST"])
def plan_themes(request: HttpRequest, plan_id: int) -> HttpResponse:
    check = access.can_attach_themes if request.method == "POST" else access.can_read
    plan = access.plan_for(request.user, plan_id, check=check)
    form = ActionThemesForm(request.POST if request.method == "POST" else None,
                            actions=selectors.plan_actions(plan), themes=selectors.themes())
    if request.method == "POST" and form.is_valid():
        try:
            count = action_themes_save(plan=plan, wanted=form.attachments(),
                                       shown=form.shown(), user=request.user)
        except ThemesConflict as exc:
            form.show_conflicts(exc.conflicts)
            form.add_error(None, ngettext(
                "Quelqu'un a modifié les thèmes de %(n)s action pendant que vous les "
                "modifiiez : rien n'est enregistré. Vos choix sont conservés ; les thèmes "
                "actuels sont indiqués à côté. Enregistrez de nouveau pour les remplacer.",
                "Quelqu'un a modifié les thèmes de %(n)s actions pendant que vous les "
                "modifiiez : rien n'est enregistré. Vos choix sont conservés ; les thèmes "
                "actuels sont indiqués à côté. Enregistrez de nouveau pour les remplacer.",
                len(exc.conflicts)) % {"n": len(exc.conflicts)})
        else:
            messages.success(request, ngettext(
                "Rattachements aux thèmes MES enregistrés (%(n)s changement).",
                "Rattachements aux thèmes MES enregistrés (%(n)s changements).", count)
                % {"n": count})
            return redirect(reverse("indicators:plan_themes", kwargs={"plan_id": plan.pk}))
    return render(request, "indicators/themes.html", {
        "plan": plan, "form": form, "themes": form.themes,
        "can_edit": access.can_attach_themes(request.user, plan.pole),
        "unattached": sum(1 for action in form.actions if not action.theme_list),
    })
