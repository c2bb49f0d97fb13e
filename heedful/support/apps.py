from django.apps import AppConfig


class SupportConfig(AppConfig):
    name = "heedful.support"
    label = "support"
