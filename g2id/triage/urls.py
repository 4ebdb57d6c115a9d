from django.urls import path

from g2id.triage import estimate, views

app_name = "triage"

urlpatterns = [
    path("demandes/", views.inbox, name="inbox"),
    path("demandes/<str:reference>/", views.request_detail, name="request"),
    path("demandes/<str:reference>/instruire/", views.take_into_review, name="take"),
    path("demandes/<str:reference>/question/", views.ask_library, name="ask"),
    path("demandes/<str:reference>/message/", views.post_team_message, name="message"),
    path("demandes/<str:reference>/transfert/", views.transfer, name="transfer"),
    path("demandes/<str:reference>/estimation/", estimate.estimate_effort, name="estimate"),
    path(
        "demandes/<str:reference>/pieces/<int:attachment_id>/",
        views.attachment,
        name="attachment",
    ),
]
