from django.urls import path

from heedful.accounts import views

app_name = "accounts"
urlpatterns = [
    path("", views.account_list, name="list"),
    path("search/", views.search, name="search"),
    # ``path``, not ``str``: an external id may hold "/" (stored before ids were checked, or
    # from a CRM); reverse() percent-encodes the rest ("?", "#", spaces), so every stored id
    # has a working link.
    path("<path:external_id>/", views.account_detail, name="detail"),
]
