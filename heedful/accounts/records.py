"""The steps every app's services share when reading one record or writing through a form
(in accounts, the bottom of the record apps: records live on accounts, and who may see one
is the visibility rule of this app).

Services stay thin: they pick the queryset the user may see and the form that validates,
and these helpers do the rest the same way everywhere: NotFound for what the user cannot
see, InvalidInput with per-field reasons, one transaction, one audit entry.
"""

from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from django.core.exceptions import ObjectDoesNotExist
from django.db import IntegrityError, models, transaction
from django.db.models import QuerySet

from heedful.accounts.record_forms import HeedfulModelForm, error_dict
from heedful.core import audit
from heedful.core.exceptions import IdNotAvailable, InvalidInput, NotFound
from heedful.core.models import User

M = TypeVar("M", bound=models.Model)

BeforeUpdate = Callable[[models.Model], Any]
"""Asked, before an update changes a record, what the hook needs to know of it as it was."""
AfterWrite = Callable[[models.Model, Any], None]
"""Told, inside the write's transaction, of each record written through a form: the saved
record and what ``BeforeUpdate`` answered for it (None for a create)."""

_write_hooks: list[tuple[BeforeUpdate, AfterWrite]] = []


def call_after_write(after_write: AfterWrite, *, before_update: BeforeUpdate) -> None:
    """Have ``after_write`` called for every record written here. Apps that build on core
    (the attention engine, which re-evaluates the touched accounts) register in their
    ``AppConfig.ready``, so core never imports them and the call stays explicit (ADR 0010)."""
    if (before_update, after_write) not in _write_hooks:
        _write_hooks.append((before_update, after_write))


def tell_written(instance: models.Model) -> None:
    """Tell the registered hooks (the attention engine) of a record a service wrote without
    a form (a time stamp, a row of its own), inside the write's transaction, as ``_save``
    does for a form's record."""
    for _, after_write in _write_hooks:
        after_write(instance, None)


def get_or_raise(queryset: QuerySet[M], **lookup: Any) -> M:
    """The one record of ``queryset`` matching ``lookup``; NotFound otherwise. The queryset
    is already limited to what the user may see, so hidden and missing look the same."""
    try:
        return queryset.get(**lookup)
    except (ObjectDoesNotExist, ValueError, TypeError):
        shown = ", ".join(f"{value}" for value in lookup.values())
        raise NotFound(
            f"No {queryset.model._meta.verbose_name} {shown!r} that you can see."
        ) from None


ID_NOT_AVAILABLE = "This id cannot be used; choose another."
"""What a taken id is answered with: the same whether the caller may see the record holding
it or not, so that nobody learns of a hidden record."""


def _refusal(form: HeedfulModelForm, verbose_name: str) -> InvalidInput:
    errors = error_dict(form)
    problems_by_field = form.errors.as_data().items()
    taken = [
        name for name, problems in problems_by_field
        if any(problem.code == "unique" for problem in problems)
    ]
    for name in taken:
        errors[name] = [ID_NOT_AVAILABLE]
    # A combination that must be unique (one holding per product and account): a conflict
    # with a stored record, as a taken id is, so 409 rather than "invalid".
    clashing = [
        name for name, problems in problems_by_field
        if all(problem.code in {"unique_together", "unique"} for problem in problems)
    ]
    if clashing and len(clashing) == len(errors):
        if taken:
            return IdNotAvailable(
                f"The {verbose_name} was not saved: {ID_NOT_AVAILABLE}", errors
            )
        return IdNotAvailable(
            f"The {verbose_name} was not saved: one with these values exists already.", errors
        )
    return InvalidInput(f"The {verbose_name} was not saved.", errors)


AfterSave = Callable[[HeedfulModelForm, Any], None]
"""Called in the write's transaction with the valid form and the saved record, for the rows
that go with it (e.g. an opportunity's stage history)."""


def create_with_form(
    form_class: type[HeedfulModelForm],
    *,
    user: User,
    data: Mapping[str, Any],
    after_save: AfterSave | None = None,
) -> Any:
    form = form_class(data={**form_class.model_defaults(), **data}, user=user)
    return _save(form, action="create", after_save=after_save)


def update_with_form(
    form_class: type[HeedfulModelForm],
    *,
    user: User,
    queryset: QuerySet[M],
    lookup: Mapping[str, Any],
    changes: Mapping[str, Any],
    after_save: AfterSave | None = None,
) -> M:
    """Apply ``changes`` (form field → value; absent fields keep their value) to the record
    of ``queryset`` matching ``lookup``, locking it while the form decides."""
    with transaction.atomic():
        instance = get_or_raise(queryset.select_for_update(of=("self",)), **lookup)
        before = [before_update(instance) for before_update, _ in _write_hooks]
        current = form_class(instance=instance, user=user).current_data()
        form = form_class(data={**current, **changes}, instance=instance, user=user)
        return _save(
            form, action="update", after_save=after_save, before=before
        )


def delete(queryset: QuerySet[M], *, user: User, lookup: Mapping[str, Any]) -> None:
    """Delete the record of ``queryset`` matching ``lookup`` (NotFound otherwise), with one
    audit entry; the write hooks are told, as of a write, with the record as it was (its
    accounts are re-evaluated once the deletion commits)."""
    with transaction.atomic():
        instance = get_or_raise(queryset.select_for_update(of=("self",)), **lookup)
        before = [before_update(instance) for before_update, _ in _write_hooks]
        subject = audit.subject_of(instance)
        instance.delete()
        audit.record(
            user=user, action=f"{instance._meta.model_name}.delete", subject=subject, detail={}
        )
        for index, (_, after_write) in enumerate(_write_hooks):
            after_write(instance, before[index])


def _save(
    form: HeedfulModelForm,
    *,
    action: str,
    after_save: AfterSave | None,
    before: list[Any] | None = None,
) -> Any:
    form.raise_if_referring_to_unseen()
    verbose_name = form._meta.model._meta.verbose_name
    if not form.is_valid():
        raise _refusal(form, verbose_name)
    with transaction.atomic():
        try:
            with transaction.atomic():
                instance = form.save()
        except IntegrityError:
            raise IdNotAvailable(
                f"The {verbose_name} was not saved: it conflicts with one that exists already.",
                {"__all__": [f"A {verbose_name} with these values exists already."]},
            ) from None
        instance.refresh_from_db()  # answer what was stored: 2500.5 reads back as 2500.50
        if after_save is not None:
            after_save(form, instance)
        audit.record(
            user=form.user,
            action=f"{form._meta.model._meta.model_name}.{action}",
            subject=audit.subject_of(instance),
            detail={"fields": sorted(form.changed_data)},
        )
        if action == "create" or form.changed_data:
            for index, (_, after_write) in enumerate(_write_hooks):
                after_write(instance, before[index] if before is not None else None)
    return instance
