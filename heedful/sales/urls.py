"""The sales pages, under /sales/ (namespace ``sales``)."""

from django.urls import path

from heedful.sales import views

app_name = "sales"

urlpatterns = [path("pipeline/", views.pipeline, name="pipeline")]
