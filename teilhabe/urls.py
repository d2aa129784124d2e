from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from teilhabe.api import api
from teilhabe.core.views import healthz

# German pages have no prefix (/), the other interface languages do (/ar/, /en/), so a link
# always shows the page in the language it was shared in.
urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("api/", api.urls),
    *i18n_patterns(
        path("", include("teilhabe.offers.urls")),
        path("", include("teilhabe.core.urls")),
        path("", include("teilhabe.mediation.urls")),
        path("", include("teilhabe.funding.urls")),
        prefix_default_language=False,
    ),
]

handler403 = "teilhabe.core.errors.permission_denied"
handler404 = "teilhabe.core.errors.page_not_found"
handler500 = "teilhabe.core.errors.server_error"
