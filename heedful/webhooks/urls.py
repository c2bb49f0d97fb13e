from django.urls import path

from heedful.webhooks import views

app_name = "webhooks"
urlpatterns = [
    path("<slug:name>/", views.receive, name="receive"),
]
