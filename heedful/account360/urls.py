"""The Account 360's address, among the account pages: ``heedful/urls.py`` serves these under
``accounts/`` in the ``accounts`` namespace, so ``{% url 'accounts:detail' ... %}`` and
/accounts/<external_id>/ stay as they were when the page lived in the accounts app."""

from django.urls import path

from heedful.account360 import views

urlpatterns = [
    # ``path``, not ``str``: an external id may hold "/" (stored before ids were checked, or
    # from a CRM); reverse() percent-encodes the rest ("?", "#", spaces), so every stored id
    # has a working link.
    path("<path:external_id>/", views.account_detail, name="detail"),
]
