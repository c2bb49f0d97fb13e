"""The sales pages, under /sales/ (namespace ``sales``)."""

from django.urls import path

from heedful.sales import views

app_name = "sales"

urlpatterns = [
    path("pipeline/", views.pipeline, name="pipeline"),
    path("opportunities/<str:external_id>/", views.opportunity, name="opportunity"),
    path(
        "opportunities/<str:external_id>/products/", views.add_product, name="add_product"
    ),
    path(
        "opportunities/<str:external_id>/products/<int:line_id>/remove/",
        views.remove_product, name="remove_product",
    ),
]
