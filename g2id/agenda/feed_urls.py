"""iCalendar feeds, at addresses that do not depend on the language."""

from django.urls import path

from g2id.agenda import views

app_name = "feeds"

urlpatterns = [
    path("agenda/prive/<slug:token>.ics", views.private_feed, name="private"),
    path("agenda/<slug:slug>.ics", views.cell_feed, name="cell"),
    path("equipe/<slug:slug>/agenda.ics", views.member_feed, name="member"),
]
