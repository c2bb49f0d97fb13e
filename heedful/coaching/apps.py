from django.apps import AppConfig


class CoachingConfig(AppConfig):
    name = "heedful.coaching"
    label = "coaching"
    verbose_name = "reviews and coaching"
