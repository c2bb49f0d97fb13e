from django.urls import path, re_path

from heedful.api import api, not_found_anywhere

urlpatterns = [
    path("", api.urls),
    # Any other address under /api/v1/ (an id with a line break, a typo) answers the API's
    # JSON 404, never the web app's HTML page.
    re_path(r"", not_found_anywhere),
]
