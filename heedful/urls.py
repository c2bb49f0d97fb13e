from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import RedirectView

from heedful.account360 import urls as account360_urls
from heedful.book import urls as book_urls
from heedful.meetings import urls as meetings_urls
from heedful.reviews import urls as reviews_urls
from heedful.today import views as today_views
from heedful.visits import urls as visits_urls

# The account list and search (heedful.book) and the Account 360 (heedful.account360) read
# across the record apps, so they live above them, but keep their addresses and names among the
# account pages: /accounts/ (accounts:list), /accounts/search/ (accounts:search) and
# /accounts/<external_id>/ (accounts:detail), whose catch-all pattern comes last.
account_pages = ([*book_urls.urlpatterns, *account360_urls.urlpatterns], "accounts")

urlpatterns = [
    path("", today_views.home, name="home"),
    path("today/", include("heedful.today.urls")),
    # Asked for by browsers on pages that name no icon (the API's JSON, files).
    path("favicon.ico", RedirectView.as_view(url=static("heedful/favicon.png"))),
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    # Before the account pages, whose last pattern takes any address under /accounts/.
    path("", include("heedful.reviews.urls")),
    path("accounts/", include(account_pages)),
    path("plays/", include("heedful.plays.urls")),
    path("health/", include("heedful.health.urls")),
    path("meetings/", include("heedful.meetings.urls")),
    path("prep/", include("heedful.prep.urls")),
    path("sales/", include("heedful.sales.urls")),
    path("forecasts/", include("heedful.forecasts.urls")),
    # Reviews that coach (pipeline, account, territory, deal); /reviews/ are service reviews.
    path("coaching/", include("heedful.coaching.urls")),
    path("scorecards/", include("heedful.scorecards.urls")),
    path("onboarding/", include("heedful.onboarding.urls")),
    # The customer's page of a meeting: no login, an unguessable token in the address.
    path("shared/meetings/", include(meetings_urls.shared_urlpatterns)),
    # The customer's link to a sent service review: no login either.
    path("shared/reviews/", include(reviews_urls.shared_urlpatterns)),
    path("programs/", include("heedful.programs.urls")),
    path("events/", include("heedful.events.urls")),
    path("visits/", include("heedful.visits.urls")),
    # The customer checks who is visiting: no login, an unguessable token and a code.
    path("visit/", include(visits_urls.customer_urlpatterns)),
    path("api/v1/", include("heedful.api_urls")),
    path("webhooks/", include("heedful.webhooks.urls")),
]
