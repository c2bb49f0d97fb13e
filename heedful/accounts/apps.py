from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "heedful.accounts"
    label = "accounts"
