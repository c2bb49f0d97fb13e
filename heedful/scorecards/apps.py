from django.apps import AppConfig


class ScorecardsConfig(AppConfig):
    name = "heedful.scorecards"
    label = "scorecards"
    verbose_name = "scorecards"
