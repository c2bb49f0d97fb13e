from django.apps import AppConfig


class ForecastsConfig(AppConfig):
    name = "heedful.forecasts"
    label = "forecasts"
    verbose_name = "forecasts"
