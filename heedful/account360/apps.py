from django.apps import AppConfig


class Account360Config(AppConfig):
    """The Account 360 page: one customer account with every kind of record about it. It
    composes the record apps and the attention engine, so it lives above all of them."""

    name = "heedful.account360"
    label = "account360"
    verbose_name = "Account 360"
