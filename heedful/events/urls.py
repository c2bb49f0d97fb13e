"""Focus groups and webinars, under /events/ (namespace ``events``)."""

from django.urls import path

from heedful.events import views

app_name = "events"

urlpatterns = [
    path("", views.event_list, name="list"),
    path("new/", views.new_event, name="new"),
    path("feedback/", views.feedback, name="feedback"),
    path("<int:event_id>/", views.detail, name="detail"),
    path("<int:event_id>/invite/", views.invite, name="invite"),
    path("<int:event_id>/send/", views.send_invitations, name="send"),
    path("<int:event_id>/attendance/", views.import_attendance, name="import_attendance"),
    path("<int:event_id>/mark/<int:invitation_id>/", views.mark, name="mark"),
    path("<int:event_id>/feedback/", views.add_feedback, name="add_feedback"),
]
