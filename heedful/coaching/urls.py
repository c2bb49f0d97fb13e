"""The review pages, under /coaching/ (namespace ``coaching``)."""

from django.urls import path

from heedful.coaching import views

app_name = "coaching"

urlpatterns = [
    path("", views.review_list, name="list"),
    path("new/", views.new_review, name="new"),
    path("<int:review_id>/", views.detail, name="detail"),
    path("<int:review_id>/points/", views.add_point, name="add_point"),
    path("<int:review_id>/notes/", views.edit_notes, name="edit_notes"),
    path("<int:review_id>/action-items/", views.add_follow_up, name="add_follow_up"),
    path("<int:review_id>/action-items/<int:follow_up_id>/done/", views.follow_up_done,
         name="follow_up_done"),
]
