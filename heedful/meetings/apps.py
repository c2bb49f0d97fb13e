from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "heedful.meetings"
    label = "meetings"
    verbose_name = "Meetings"
