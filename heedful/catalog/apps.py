from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "heedful.catalog"
    label = "catalog"
