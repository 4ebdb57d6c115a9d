from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "g2id.api"
    verbose_name = "API"
