from django.urls import path

from heedful.accounts import views

app_name = "accounts"
urlpatterns = [
    path("", views.account_list, name="list"),
    path("search/", views.search, name="search"),
]
