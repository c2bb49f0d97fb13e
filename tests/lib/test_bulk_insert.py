"""``insert_new`` stores exactly what Django's ``bulk_create`` stores.

The import writes its new records with ``insert_new`` (a hot path of ours: see the module);
these tests hold it equal to the library on every model the import writes, on a generated
book and on hand-made values of the wrong Python type, on SQLite and PostgreSQL.
"""

from datetime import date

import pytest
from django.db import connection, models, transaction

from heedful.accounts.models import Account
from heedful.billing.models import Invoice
from heedful.demo import generator
from heedful.integrations.csv_import import SPECS
from heedful.interactions.models import Interaction
from heedful.lib.bulk_insert import insert_new
from tests.conftest import AS_OF

MODELS = sorted(
    {spec.model for spec in SPECS.values()} | {Interaction.contacts.through},
    key=lambda model: model._meta.label,
)


def stored_rows(model: type[models.Model], ids: list[int]) -> list[tuple]:
    """The rows as the database holds them (every column but the id), in the order of ids."""
    columns = [f.column for f in model._meta.concrete_fields if not f.primary_key]
    quote = connection.ops.quote_name
    pk = quote(model._meta.pk.column)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {pk}, {', '.join(map(quote, columns))} FROM {quote(model._meta.db_table)} "
            f"WHERE {pk} IN ({', '.join(['%s'] * len(ids))})",
            ids,
        )
        by_id = {row[0]: row[1:] for row in cursor.fetchall()}
    return [by_id[pk_value] for pk_value in ids]


def without_self_set(model: type[models.Model], rows: list[tuple]) -> list[tuple]:
    """auto_now fields take the moment of writing: compared by presence only."""
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    moments = {i for i, f in enumerate(fields) if getattr(f, "auto_now", False)
               or getattr(f, "auto_now_add", False)}
    return [
        tuple(value is not None if i in moments else value for i, value in enumerate(row))
        for row in rows
    ]


def write_again(model: type[models.Model], records: list[models.Model], how: str) -> list[tuple]:
    """Delete ``records`` and write unsaved copies of them ``how``; the stored rows. Undone."""
    ids = [record.pk for record in records]
    copies = []
    for record in records:
        values = {f.attname: getattr(record, f.attname) for f in model._meta.concrete_fields
                  if not f.primary_key}
        copies.append(model(**values))
    with transaction.atomic():
        model._default_manager.filter(pk__in=ids)._raw_delete(connection.alias)
        if how == "library":
            model._default_manager.bulk_create(copies)
            new_ids = [copy.pk for copy in copies]
        else:
            insert_new(model, copies)
            assert all(copy._state.adding is False for copy in copies)
            last = model._default_manager.order_by("-pk").values_list("pk", flat=True)[
                : len(copies)
            ]
            new_ids = sorted(last)
            if connection.vendor == "postgresql":  # the objects know the ids they got
                assert sorted(copy.pk for copy in copies) == new_ids
        rows = stored_rows(model, new_ids)
        transaction.set_rollback(True)
    return without_self_set(model, rows)


@pytest.mark.django_db(transaction=False)
def test_every_imported_model_is_stored_as_bulk_create_stores_it() -> None:
    generator.generate(accounts=12, seed=5, as_of=AS_OF)
    compared = {}
    for model in MODELS:
        records = list(model._default_manager.order_by("pk")[:150])
        if not records:
            continue
        assert write_again(model, records, "ours") == write_again(model, records, "library"), (
            model._meta.label
        )
        compared[model._meta.label] = len(records)
    assert sum(compared.values()) > 800, compared
    assert {"accounts.Account", "billing.Invoice", "accounts.Contact"} <= set(compared)


@pytest.mark.django_db
def test_values_of_another_type_are_converted_as_the_library_converts_them(people) -> None:  # noqa: ANN001
    def odd_invoice() -> Invoice:
        return Invoice(
            account_id=str(people.ours.pk),  # a foreign key given as text
            invoice_number=4711,  # a whole number given to a text field
            period_start="2026-03-01",  # a date given as text
            period_end=date(2026, 3, 31),
            issued_on=None,
            amount="1250.5",  # money given as text
            currency="EUR",
        )

    stored = {}
    for how in ("ours", "library"):
        with transaction.atomic():
            if how == "ours":
                insert_new(Invoice, [odd_invoice()])
            else:
                Invoice.objects.bulk_create([odd_invoice()])
            stored[how] = stored_rows(Invoice, [Invoice.objects.latest("pk").pk])
            transaction.set_rollback(True)
    assert stored["ours"] == stored["library"]
    invoice_number, *_ = stored["ours"][0]
    assert invoice_number == "4711"


@pytest.mark.django_db
def test_records_with_an_id_are_refused(people) -> None:  # noqa: ANN001
    with pytest.raises(ValueError, match="new objects"):
        insert_new(Account, [people.ours])
