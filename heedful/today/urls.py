from django.urls import path

from heedful.today import views

app_name = "today"
urlpatterns = [
    path("", views.page, name="page"),
    path("plays/<int:play_id>/", views.panel, name="panel"),
    path("plays/<int:play_id>/<slug:action>/", views.act, name="act"),
]
