"""The scorecard pages, under /scorecards/ (namespace ``scorecards``)."""

from django.urls import path

from heedful.scorecards import views

app_name = "scorecards"

urlpatterns = [
    path("", views.team, name="team"),
    path("standards/", views.standards, name="standards"),
    path("<str:username>/", views.rep_scorecard, name="rep"),
    path("<str:username>/agenda/", views.put_on_agenda, name="put_on_agenda"),
]
