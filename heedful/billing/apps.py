from django.apps import AppConfig


class BillingConfig(AppConfig):
    name = "heedful.billing"
    label = "billing"
