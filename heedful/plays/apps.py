from django.apps import AppConfig


class PlaysConfig(AppConfig):
    name = "heedful.plays"
    label = "plays"

    def ready(self) -> None:
        from heedful.accounts import records
        from heedful.health import components
        from heedful.plays import score_component, triggers

        # Every record written through the record forms (the API, the pages) re-evaluates the
        # accounts it touched once the write commits. Core calls what is registered here and
        # never imports the engine (ADR 0010).
        records.call_after_write(
            triggers.record_written, before_update=triggers.account_ids_of
        )
        # Open urgent plays count in the health score; the health app cannot read plays.
        components.register(score_component.URGENT_PLAYS)
