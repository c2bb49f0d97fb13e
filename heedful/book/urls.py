"""The book's addresses, among the account pages: ``heedful/urls.py`` serves these under
``accounts/`` in the ``accounts`` namespace, so ``{% url 'accounts:list' %}``, /accounts/ and
/accounts/search/ stay as they were when the pages lived in the accounts app."""

from django.urls import path

from heedful.book import views

urlpatterns = [
    path("", views.account_list, name="list"),
    path("search/", views.search, name="search"),
]
