"""The e-mail backend of a site with no mail server (the default): each e-mail printed on
standard error, where a person running ``heedful`` sees it, and never on standard output,
which ``--json`` keeps for JSON alone (CONTRACTS.md)."""

import sys
from typing import Any

from django.core.mail.backends.console import EmailBackend as ConsoleEmailBackend


class EmailBackend(ConsoleEmailBackend):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("stream", sys.stderr)
        super().__init__(*args, **kwargs)
