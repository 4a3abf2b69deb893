"""Trying a target before it counts: the preview page, and the fragment the revision form's
live preview fetches."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from indicators import access
from indicators.forms import TargetPreviewForm
from indicators.targets.preview import preview


@login_required
@require_GET
def target_preview(request: HttpRequest) -> HttpResponse:
    """Type a target, see its reading, its French rendering and how a sample result would be
    judged. Nothing is saved. ``?partial=1`` answers only the reading (live previews)."""
    access.require_target_preview(request.user)
    form = TargetPreviewForm(request.GET or None)
    shown = None
    if form.is_bound and form.is_valid() and form.cleaned_data["text"]:
        data = form.cleaned_data
        shown = preview(data["text"], unit=data["unit"], direction=data["direction"],
                        sample=data["sample"], reference=data["reference"],
                        thresholds=settings.ACHIEVEMENT_THRESHOLDS)
    if request.GET.get("partial"):
        return render(request, "indicators/_target_preview.html", {"preview": shown})
    return render(request, "indicators/target_preview.html", {"form": form, "preview": shown})
