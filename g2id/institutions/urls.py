from django.urls import path

from g2id.institutions import views

app_name = "institutions"

urlpatterns = [
    path(
        "bibliotheques/<int:institution_id>/profil-technique/",
        views.technical_profile,
        name="technical_profile",
    ),
]
