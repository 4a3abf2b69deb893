"""A URL configuration with one view that fails, to see where an unhandled error goes."""

from django.urls import include, path


def boom(request):
    raise RuntimeError("panne simulée")


urlpatterns = [path("panne/", boom), path("", include("pole_plan.urls"))]
