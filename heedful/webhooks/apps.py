from django.apps import AppConfig


class WebhooksConfig(AppConfig):
    name = "heedful.webhooks"
    label = "webhooks"
    verbose_name = "Webhooks"

    def ready(self) -> None:
        from heedful.plays import changes
        from heedful.webhooks import outbound

        # Plays never import this app: the engine and the play services tell what changed to
        # whoever registered here (ADR 0010).
        changes.call_on_changes(outbound.play_changes_heard)
