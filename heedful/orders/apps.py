from django.apps import AppConfig


class OrdersConfig(AppConfig):
    name = "heedful.orders"
    label = "orders"
