from django.apps import AppConfig


class PrepConfig(AppConfig):
    """The prep brief of a meeting: who is coming and how to address them, the customer's
    data first, and a suggested agenda. It composes meetings, the Account 360 and the
    attention engine, so it lives above all of them."""

    name = "heedful.prep"
    label = "prep"
    verbose_name = "Prep brief"
