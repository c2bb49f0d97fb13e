"""Optimistic concurrency: a record's version, and the check that a write starts from it.

A version is a hash of the record's stored field values, so every table has one without a
column or a migration, and any change (by a person, an import or a scan) gives a new one.
The API answers it as the ``ETag`` of one record and honours ``If-Match`` on PATCH; the pages
carry it in a hidden ``version`` field of each form that changes a record.
"""

import hashlib
import json
from typing import TypeVar

from django.db import models, transaction
from django.utils.http import parse_etags

from heedful.core.exceptions import StaleVersion

M = TypeVar("M", bound=models.Model)


def version_of(instance: models.Model) -> str:
    """The version of ``instance`` as loaded: equal for equal stored values."""
    return version_of_values({
        field.attname: getattr(instance, field.attname)
        for field in instance._meta.concrete_fields
    })


def version_of_values(values: dict[str, object]) -> str:
    """The version of some values that are not one row (a rule's setting in force, code
    defaults under an admin's overrides): equal for equal values."""
    text = json.dumps(values, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def etag_of(instance: models.Model) -> str:
    """The version as an HTTP entity tag (quoted)."""
    return f'"{version_of(instance)}"'


def matches(expected: str, version: str) -> bool:
    """Whether ``expected`` (an ``If-Match`` value: one or more entity tags, or ``*``; a bare
    version, as the pages send it, too) names ``version``. Weak tags never match."""
    expected = expected.strip()
    if expected == version:
        return True
    tags = parse_etags(expected)
    return "*" in tags or f'"{version}"' in tags


def lock_if_unchanged(instance: M, *, expected: str) -> M:
    """Lock the row of ``instance`` until the caller's transaction ends and answer it as
    stored; StaleVersion (nothing written) unless its version is the one ``expected``.

    Call it inside the transaction that writes, so that no other write can come between
    the check and the write."""
    assert transaction.get_connection().in_atomic_block, "lock inside the write's transaction"
    model = type(instance)
    locked = model._default_manager.select_for_update().get(pk=instance.pk)
    current = version_of(locked)
    if not matches(expected, current):
        raise StaleVersion(
            f"The {model._meta.verbose_name} changed since you read it; nothing was saved. "
            "Read it again and re-apply your change.",
            current_version=current, record=locked,
        )
    return locked
