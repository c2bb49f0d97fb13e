from django.urls import path

from heedful.api import api

urlpatterns = [path("", api.urls)]
