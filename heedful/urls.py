from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from heedful.account360 import urls as account360_urls
from heedful.accounts import urls as accounts_urls
from heedful.today import views as today_views

# The Account 360 composes every record app, so it lives above them (heedful.account360) but
# keeps its address and name among the account pages: /accounts/<external_id>/, accounts:detail.
# Its catch-all pattern comes after the accounts app's own (list, search/).
account_pages = ([*accounts_urls.urlpatterns, *account360_urls.urlpatterns], "accounts")

urlpatterns = [
    path("", today_views.home, name="home"),
    path("today/", include("heedful.today.urls")),
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    path("accounts/", include(account_pages)),
    path("plays/", include("heedful.plays.urls")),
    path("api/v1/", include("heedful.api_urls")),
]
