from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from g2id.api.routes import api
from g2id.public import views as public_views

# Language-neutral endpoints: health and API.
urlpatterns = [
    path("healthz", public_views.healthz, name="healthz"),
    path("api/v1/", api.urls),
    path("", include("g2id.agenda.feed_urls")),
]

# Pages: French at the root, English under /en/.
urlpatterns += i18n_patterns(
    path("", include("g2id.public.urls")),
    path("", include("g2id.requests.urls")),
    path("", include("g2id.accounts.urls")),
    path("", include("g2id.team.urls")),
    path("", include("g2id.directory.urls")),
    path("", include("g2id.positioning.urls")),
    path("espace/", include("g2id.triage.urls")),
    path("espace/", include("g2id.team.backoffice_urls")),
    path("espace/", include("g2id.weekly.urls")),
    path("espace/", include("g2id.steering.urls")),
    path("espace/agenda/", include("g2id.agenda.urls")),
    path("espace/", include("g2id.institutions.urls")),
    path("espace/", include("g2id.timesheets.urls")),
    path("", include("g2id.realisations.urls")),
    path("espace/interventions/", include("g2id.interventions.urls")),
    path("", include("g2id.interventions.survey_urls")),
    path("admin/", admin.site.urls),
    prefix_default_language=False,
)

handler404 = "g2id.public.views.page_not_found"
handler500 = "g2id.public.views.server_error"
