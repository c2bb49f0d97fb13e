"""Shared by the demo tests: the demo built once per module inside a transaction that is
rolled back afterwards, and a digest of every domain table that ignores database ids."""

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date

from django.contrib.admin.models import LogEntry
from django.contrib.sessions.models import Session
from django.db import models, transaction

from heedful.core.models import ApiToken, AuditEntry, User
from heedful.demo import company
from heedful.demo.database import domain_models

SEED = 11
SKIPPED = {LogEntry, Session, AuditEntry, ApiToken}
# Stamped with the moment of writing (auto_now_add), not the demo's day; and the PostgreSQL
# transaction that counted a pipeline change (``sales.PipelineChange``).
VOLATILE = {"password", "last_login", "created_at", "uploaded_at", "transaction_number"}
# A user's id kept as a plain number (the pipeline's cache, written by database triggers).
USER_IDS = {("sales.PipelineChange", "owner_id"), ("sales.PipelineSummary", "owner_id")}


@contextmanager
def built_demo(as_of: date, seed: int = SEED) -> Iterator[company.Plan]:
    """The demo, visible to every test inside; nothing of it is left afterwards."""
    atomic = transaction.atomic()
    atomic.__enter__()
    try:
        yield company.build_demo(as_of=as_of, seed=seed)
    finally:
        transaction.set_rollback(True)
        atomic.__exit__(None, None, None)


def natural_field(model: type[models.Model]) -> str | None:
    """A unique field of the row's own that names it: not a link to another row (a
    transcript's meeting is an id) nor one that may be empty (a meeting's calendar key)."""
    for field in model._meta.concrete_fields:
        if field.unique and not field.primary_key and not field.is_relation and not field.null:
            return field.attname
    return None


def table_digest() -> dict[str, str]:
    """A hash of each domain table, by its label (so that a difference names the table), each
    foreign key replaced by the natural key (external id, username, sku...) of the row it
    points at, so ids do not matter."""
    tables = [m for m in domain_models() if m not in SKIPPED]
    keys: dict[type[models.Model], dict[int, str]] = {}
    for model in tables:
        name = natural_field(model)
        if name:
            keys[model] = {pk: str(v) for pk, v in model.objects.values_list("pk", name)}
        else:
            # No natural key (a meeting's attendees): the row's place in creation order,
            # which a build with the same seed repeats whatever ids the database hands out.
            ordered = model.objects.order_by("pk").values_list("pk", flat=True)
            keys[model] = {pk: f"#{place}" for place, pk in enumerate(ordered)}
    digests = {}
    for model in sorted(tables, key=lambda m: m._meta.label):
        digest = hashlib.sha256()
        fields = [f for f in model._meta.concrete_fields
                  if not f.primary_key and f.attname not in VOLATILE]
        rows = []
        for values in model.objects.values_list(*[f.attname for f in fields]):
            row = []
            for field, value in zip(fields, values, strict=True):
                if field.is_relation and value is not None:
                    value = keys.get(field.related_model, {}).get(value, f"#{value}")
                elif (model._meta.label, field.attname) in USER_IDS:
                    value = keys.get(User, {}).get(value, f"#{value}")
                row.append(repr(value))
            rows.append("|".join(row))
        for row in sorted(rows):
            digest.update(row.encode())
        digests[model._meta.label] = digest.hexdigest()
    return digests
