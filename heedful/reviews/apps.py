from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "heedful.reviews"
    label = "reviews"
    verbose_name = "Service reviews"
