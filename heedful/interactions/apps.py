from django.apps import AppConfig


class InteractionsConfig(AppConfig):
    name = "heedful.interactions"
    label = "interactions"
