from django.apps import AppConfig


class VisitsConfig(AppConfig):
    name = "heedful.visits"
    label = "visits"
    verbose_name = "Visits the customer can verify"
