from django.urls import path

from g2id.agenda import views

app_name = "agenda"

urlpatterns = [
    path("", views.index, name="index"),
    path("nouveau/", views.add, name="add"),
    path("<int:pk>/modifier/", views.edit, name="edit"),
    path("<int:pk>/supprimer/", views.delete, name="delete"),
    path("adresse-privee/", views.renew_private_address, name="renew_private_address"),
]
