from django.urls import path

from g2id.weekly import views

app_name = "weekly"

urlpatterns = [
    path("equipe/<slug:slug>/point-hebdo/", views.settings_page, name="settings"),
    path("equipe/<slug:slug>/point-hebdo/<int:pk>/reposter/", views.post_again, name="post_again"),
    path("equipe/<slug:slug>/point-hebdo/semaine/", views.week, name="week"),
]
