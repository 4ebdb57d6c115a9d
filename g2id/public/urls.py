from django.urls import path

from g2id.public import views

app_name = "public"

urlpatterns = [
    path("", views.home, name="home"),
]
