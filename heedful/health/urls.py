from django.urls import path

from heedful.health import views

app_name = "health"
urlpatterns = [
    path("settings/", views.score_settings, name="settings"),
    path("accounts/<path:external_id>/sentiment/", views.set_sentiment, name="sentiment"),
]
