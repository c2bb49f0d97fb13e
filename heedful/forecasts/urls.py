"""The forecast pages, under /forecasts/ (namespace ``forecasts``)."""

from django.urls import path

from heedful.forecasts import views

app_name = "forecasts"

urlpatterns = [
    path("", views.mine, name="mine"),
    path("team/", views.team, name="team"),
    path("team/adjust/", views.adjust, name="adjust"),
    path("accuracy/", views.accuracy, name="accuracy"),
]
