"""The programme pages for leadership, under /programs/ (namespace ``programs``)."""

from django.urls import path

from heedful.programs import views

app_name = "programs"

urlpatterns = [
    path("sponsors/", views.sponsors, name="sponsors"),
    path("sponsors/unsponsored/", views.unsponsored, name="unsponsored"),
    path("customer-time/", views.customer_time, name="customer_time"),
    path("praise/", views.praise, name="praise"),
    path("join/<path:external_id>/", views.ask_to_join, name="ask_to_join"),
]
