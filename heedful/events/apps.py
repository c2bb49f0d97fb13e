from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "heedful.events"
    label = "events"
    verbose_name = "Focus groups and webinars"
