"""``heedful webhooks resume [--json]``: finish what a stopped process left of webhooks."""

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from heedful.webhooks import outbound, services


class Command(BaseCommand):
    help = (
        "Apply received webhook events not yet applied and send pending play messages (work "
        "a restart or a crash left queued in a stopped process)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["resume"])
        parser.add_argument("--json", action="store_true", help="Print the counts as JSON.")

    def handle(self, *args: Any, **options: Any) -> None:
        applied = services.apply_pending()
        sent = outbound.deliver_pending()
        if options["json"]:
            self.stdout.write(json.dumps({"events": applied, "messages": sent}))
            return
        self.stdout.write(
            "Received events: " + (", ".join(f"{count} {status}" for status, count in
                                             sorted(applied.items())) or "none pending")
        )
        self.stdout.write(
            "Play messages: " + (", ".join(f"{count} {status}" for status, count in
                                           sorted(sent.items())) or "none pending")
        )
