"""The team's visit pages under /visits/ (namespace ``visits``); the customer's page has its
own address outside it (``heedful/urls.py``: ``/visit/<token>/``)."""

from django.urls import path

from heedful.visits import views

app_name = "visits"

urlpatterns = [
    path("account/<path:external_id>/", views.account_visits, name="account"),
    path("<int:visit_id>/", views.detail, name="detail"),
    path("<int:visit_id>/announce/", views.announce, name="announce"),
    path("<int:visit_id>/photo/", views.photo, name="photo"),
]

customer_urlpatterns = [
    path("<str:token>/", views.customer_page, name="verify_visit"),
    path("<str:token>/answer/", views.customer_answer, name="verify_visit_answer"),
]
