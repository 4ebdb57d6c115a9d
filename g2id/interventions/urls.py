from django.urls import path

from g2id.interventions import views

app_name = "interventions"

urlpatterns = [
    path("", views.intervention_list, name="list"),
    path("<str:reference>/", views.intervention_detail, name="detail"),
    path("<str:reference>/etat/<slug:action>/", views.change_state, name="state"),
    path("<str:reference>/plan/", views.edit_plan, name="plan"),
    path("<str:reference>/seances/", views.edit_session, name="add_session"),
    path("<str:reference>/seances/<int:session_id>/", views.edit_session, name="session"),
    path(
        "<str:reference>/seances/<int:session_id>/supprimer/",
        views.delete_session,
        name="delete_session",
    ),
    path("<str:reference>/taches/", views.add_task, name="add_task"),
    path("<str:reference>/taches/<int:task_id>/", views.update_task, name="task"),
    path("<str:reference>/transmission/", views.edit_transfer_record, name="transfer_record"),
]
