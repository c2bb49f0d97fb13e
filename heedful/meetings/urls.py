"""The meeting pages, under /meetings/ (namespace ``meetings``). The customer's shared page
has its own address outside it (``heedful/urls.py``: ``/shared/meetings/<token>/``)."""

from django.urls import path

from heedful.meetings import views

app_name = "meetings"

urlpatterns = [
    path("trends/", views.trends, name="my_trends"),
    path("trends/<str:username>/", views.trends, name="trends"),
    path("account/<path:external_id>/new/", views.new_meeting, name="new"),
    path("account/<path:external_id>/", views.account_meetings, name="account"),
    path("<int:meeting_id>/", views.detail, name="detail"),
    path("<int:meeting_id>/details/", views.edit_details, name="edit_details"),
    path("<int:meeting_id>/notes/", views.edit_notes, name="edit_notes"),
    path("<int:meeting_id>/<str:moment>-now/", views.start_or_end, name="start_or_end"),
    path("<int:meeting_id>/attendees/", views.add_attendee, name="add_attendee"),
    path(
        "<int:meeting_id>/attendees/<int:attendee_id>/remove/", views.remove_attendee,
        name="remove_attendee",
    ),
    path("<int:meeting_id>/agenda/", views.add_agenda_item, name="add_agenda_item"),
    path("<int:meeting_id>/agenda/confirm/", views.confirm_agenda, name="confirm_agenda"),
    path(
        "<int:meeting_id>/agenda/<int:item_id>/remove/", views.remove_agenda_item,
        name="remove_agenda_item",
    ),
    path(
        "<int:meeting_id>/agenda/<int:item_id>/<str:direction>/", views.move_agenda_item,
        name="move_agenda_item",
    ),
    path("<int:meeting_id>/actions/", views.add_action_item, name="add_action_item"),
    path(
        "<int:meeting_id>/actions/<int:item_id>/", views.edit_action_item,
        name="edit_action_item",
    ),
    path(
        "<int:meeting_id>/actions/<int:item_id>/status/", views.set_action_status,
        name="set_action_status",
    ),
    path("<int:meeting_id>/transcript/", views.upload_transcript, name="upload_transcript"),
    path(
        "<int:meeting_id>/transcript/speaker/", views.name_transcript_speaker,
        name="name_speaker",
    ),
    path(
        "<int:meeting_id>/transcript/accept/", views.accept_suggested_action,
        name="accept_suggested_action",
    ),
    path("<int:meeting_id>/follow-up/", views.follow_up, name="follow_up"),
    path("<int:meeting_id>/share/", views.share, name="share"),
    path("<int:meeting_id>/share/<int:page_id>/revoke/", views.revoke, name="revoke"),
]

shared_urlpatterns = [
    path("<str:token>/", views.shared, name="shared_meeting"),
    path("<str:token>/items/<int:item_id>/done/", views.shared_done, name="shared_meeting_done"),
]
