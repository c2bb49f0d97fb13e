from django.apps import AppConfig


class IntegrationsConfig(AppConfig):
    name = "heedful.integrations"
    label = "integrations"
