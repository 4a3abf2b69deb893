from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("compte/", include("django.contrib.auth.urls")),
    path("", include("indicators.urls")),
    path("", include("reporting.urls")),
    path("registre/", include("register.urls")),
    path("campagnes/", include("campaigns.urls")),
    path("publique/", include("public.urls")),
]
# Evidence files are never served from MEDIA_URL: indicators:evidence checks pôle and role.
