from django.apps import AppConfig


class SalesConfig(AppConfig):
    name = "heedful.sales"
    label = "sales"
