from django.apps import AppConfig


class PlaysConfig(AppConfig):
    name = "heedful.plays"
    label = "plays"
