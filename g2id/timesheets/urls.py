from django.urls import path

from g2id.timesheets import views

app_name = "timesheets"

urlpatterns = [
    path("temps/", views.week, name="week"),
    path("mises-a-disposition/", views.institutions, name="institutions"),
    path("mises-a-disposition/<int:institution_id>/", views.statement, name="statement"),
    path(
        "mises-a-disposition/<int:institution_id>/csv/", views.statement_csv, name="statement_csv"
    ),
]
