from django.apps import AppConfig


class HealthConfig(AppConfig):
    name = "heedful.health"
    label = "health"
    verbose_name = "Health score"
