"""The audit log: services call ``record`` inside the transaction of the write it describes."""

from typing import Any

from django.db import models

from heedful.core.models import AuditEntry, User


def subject_of(instance: models.Model) -> str:
    """How a record is named in the log: its kind and its external id, number or database id."""
    for field in ("external_id", "invoice_number", "sku", "username"):
        value = getattr(instance, field, None)
        if value:
            return f"{instance._meta.verbose_name} {value}"[:200]
    return f"{instance._meta.verbose_name} #{instance.pk}"[:200]


def record(
    *, user: User | None, action: str, subject: str, detail: dict[str, Any] | None = None
) -> AuditEntry:
    return AuditEntry.objects.create(
        user=user if user is not None and user.is_authenticated else None,
        action=action,
        subject=subject,
        detail=detail or {},
    )
