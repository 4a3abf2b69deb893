from django.contrib import admin
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt
from django.views.i18n import set_language

urlpatterns = [
    path("admin/", admin.site.urls),
    path("compte/", include("django.contrib.auth.urls")),
    path("", include("indicators.urls")),
    path("", include("reporting.urls")),
    path("registre/", include("register.urls")),
    path("campagnes/", include("campaigns.urls")),
    path("publique/", include("public.urls")),
    # Choosing a language changes nothing but the language cookie: without a CSRF token, the
    # switcher in the top bar leaves the public pages free of cookies (and cacheable).
    path("langue/", csrf_exempt(set_language), name="set_language"),
]
# Evidence files are never served from MEDIA_URL: indicators:evidence checks pôle and role.
