from django.apps import AppConfig


class TodayConfig(AppConfig):
    """Today: the page a rep lands on, the few plays that need doing now, each opened in place
    with whom to reach. It composes the attention engine and the accounts, so it lives above
    both (ADR 0010)."""

    name = "heedful.today"
    label = "today"
    verbose_name = "Today"
