"""The service review pages. An account's reviews live under its address
(``/accounts/<external_id>/reviews/``); a saved review under ``/reviews/<id>/``; the customer's
link outside both (``heedful/urls.py``: ``/shared/reviews/<token>/``)."""

from django.urls import path

from heedful.reviews import views

app_name = "reviews"

urlpatterns = [
    path("accounts/<path:external_id>/reviews/", views.review_list, name="list"),
    path("accounts/<path:external_id>/reviews/open/", views.open_period, name="open"),
    path("accounts/<path:external_id>/reviews/<str:period>/", views.period, name="period"),
    path("accounts/<path:external_id>/reviews/<str:period>/prepare/", views.prepare,
         name="prepare"),
    path("reviews/<int:review_id>/", views.detail, name="detail"),
    path("reviews/<int:review_id>/review.pdf", views.pdf, name="pdf"),
    path("reviews/<int:review_id>/comment/", views.comment, name="comment"),
    path("reviews/<int:review_id>/topics/", views.topic_add, name="topic_add"),
    path("reviews/<int:review_id>/topics/<int:topic_id>/", views.topic_update,
         name="topic_update"),
    path("reviews/<int:review_id>/topics/<int:topic_id>/remove/", views.topic_delete,
         name="topic_delete"),
    path("reviews/<int:review_id>/send/", views.send, name="send"),
    path("reviews/<int:review_id>/links/", views.share, name="share"),
    path("reviews/<int:review_id>/links/<int:link_id>/withdraw/", views.revoke, name="revoke"),
]

shared_urlpatterns = [
    path("<str:token>/", views.shared, name="shared_review"),
    path("<str:token>/review.pdf", views.shared_pdf, name="shared_review_pdf"),
]
