"""The REST API under /api/v1: one NinjaAPI, one router per app (see each app's api.py)."""

from ninja import NinjaAPI

api = NinjaAPI(title="Heedful API", version="1", urls_namespace="api")
