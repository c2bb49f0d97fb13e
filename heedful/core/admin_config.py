"""Django's admin app with Heedful's admin site (core/admin_site.py: its name, login and
refusal page) as ``admin.site``, so that every ``admin.register`` lands there. Its own
module: INSTALLED_APPS loads it before any model exists."""

from django.contrib.admin.apps import AdminConfig


class HeedfulAdminConfig(AdminConfig):
    default_site = "heedful.core.admin_site.HeedfulAdminSite"
