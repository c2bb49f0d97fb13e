from django.apps import AppConfig


class BookConfig(AppConfig):
    """The book of accounts: the account list and customer search, pages that read across
    apps (an account's invoices, tickets and plays; a customer found by invoice number), so
    they live above the record apps they read."""

    name = "heedful.book"
    label = "book"
    verbose_name = "Book of accounts"
