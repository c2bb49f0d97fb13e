from django.urls import path

from heedful.plays import views

app_name = "plays"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("team/", views.team, name="team"),
    path("settings/", views.rule_settings, name="settings"),
    path("<int:play_id>/", views.detail, name="detail"),
    path("<int:play_id>/<slug:action>/", views.act, name="act"),
]
