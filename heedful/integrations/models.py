"""What the importers of other systems remember between two imports."""

from django.db import models


class SourceRecord(models.Model):
    """Which Heedful record a record of another system (a CRM) became, for the records whose
    Heedful key is not the source's id: a Salesforce user is a username, a task an
    interaction's natural key. A second export then updates them rather than adding copies,
    even when the source changed what the key is made of. Accounts, contacts and
    opportunities carry the source's id as their external id and need no row here."""

    system = models.CharField(max_length=20, help_text="salesforce or hubspot.")
    object_type = models.CharField(max_length=40, help_text="e.g. User, Task, Event.")
    source_id = models.CharField(max_length=64)
    key = models.CharField(
        max_length=200, help_text="The Heedful record's key: a username, a natural key."
    )

    class Meta:
        verbose_name = "imported record's source"
        constraints = [
            models.UniqueConstraint(
                fields=["system", "object_type", "source_id"], name="source_record_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.system} {self.object_type} {self.source_id} → {self.key}"
