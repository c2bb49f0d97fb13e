from django.urls import path

from heedful.prep import views

app_name = "prep"

urlpatterns = [
    path("meetings/<int:meeting_id>/", views.brief, name="brief"),
    path("meetings/<int:meeting_id>/print/", views.printable, name="print"),
]
