"""The library's private links: the satisfaction survey and the impact check."""

from django.urls import path

from g2id.interventions import views

app_name = "survey"

urlpatterns = [
    path("enquete/<slug:token>/", views.survey, name="survey"),
    path("enquete/impact/<slug:token>/", views.impact_check, name="impact"),
]
