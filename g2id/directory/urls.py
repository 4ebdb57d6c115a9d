from django.urls import path

from g2id.directory import views

app_name = "directory"

urlpatterns = [
    path("partenaires/", views.index, name="index"),
]
