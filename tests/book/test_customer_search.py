"""Fuzzy customer search: ``heedful.book.search.search_customers`` and ``heedful search``.

(The search page's tests are in test_search.py.)
"""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings, strategies

from heedful.accounts.models import Account, Contact
from heedful.book import search
from heedful.book.search import SearchHit, search_customers
from tests.factories import AccountFactory, ContactFactory, InvoiceFactory

CONTRACT_KEYS = [
    "kind", "external_id", "name", "account_external_id", "account_name", "matched", "score",
    "closeness",
]


@pytest.fixture
def customers(people):  # noqa: ANN001, ANN201
    """Customers of ``rep`` (``ours``, Acme) and of ``other_rep`` (``theirs``)."""
    people.ours.aliases = "OT Group; Ours Telco"
    people.ours.save()
    AccountFactory(
        external_id="ACC-ACME", name="Acme Telecom", owner=people.rep, phone="+1 555 010 3000"
    )
    AccountFactory(external_id="ACC-ACME-LOG", name="Acme Logistics", owner=people.rep)
    AccountFactory(external_id="ACC-ACME-SVC", name="Acme Telecom Services", owner=people.rep)
    ContactFactory(
        external_id="CON-RICH", account=people.ours, full_name="Richard Stone",
        preferred_name="Rich", email="Richard.Stone@ours-telecom.example",
        phone="+1 (555) 010-2000",
    )
    ContactFactory(
        external_id="CON-ZOE", account=people.ours, full_name="Zoë Müller",
        email="zoe.mueller@ours-telecom.example",
    )
    InvoiceFactory(invoice_number="INV-2026-0042", account=people.ours)
    ContactFactory(
        external_id="CON-RITA", account=people.theirs, full_name="Rita Stone",
        email="rita.stone@theirs.example", phone="555 010 4000",
    )
    InvoiceFactory(invoice_number="INV-THEIRS-1", account=people.theirs)
    return people


def first(user, text: str) -> SearchHit:  # noqa: ANN001
    hits = search_customers(user=user, text=text)
    assert hits, f"nothing found for {text!r}"
    return hits[0]


def found_ids(user, text: str, limit: int = 10) -> list[str]:  # noqa: ANN001
    return [hit.external_id for hit in search_customers(user=user, text=text, limit=limit)]


# --- Names -------------------------------------------------------------------------------


def test_finds_an_account_from_a_misspelled_name(customers) -> None:  # noqa: ANN001
    # when
    hit = first(customers.rep, "Acme Telcom")
    # then
    assert (hit.kind, hit.external_id, hit.matched) == ("account", "ACC-ACME", "name")
    assert 80 <= hit.score < 100


def test_finds_a_contact_from_a_misspelled_name(customers) -> None:  # noqa: ANN001
    # when
    hit = first(customers.rep, "Richrd Stone")
    # then
    assert (hit.kind, hit.external_id, hit.matched) == ("contact", "CON-RICH", "name")
    assert (hit.account_external_id, hit.account_name) == ("ACC-OURS", "Ours Telecom")


def crowd(customers, first_names: list[str], surnames: list[str]) -> None:  # noqa: ANN001
    """Contacts of every first name with every surname: names alike to crowd a search."""
    for first_name in first_names:
        for surname in surnames:
            ContactFactory(account=customers.theirs, full_name=f"{first_name} {surname}")


def test_finds_a_contact_from_a_surname_typo_among_many_sharing_the_first_name(
    customers,  # noqa: ANN001
) -> None:
    # given: hundreds of Caroles whose surnames start as hers does, each holding as many of
    # the typed text's trigrams as she does, and made before her
    surnames = [
        "Hend" + "".join("abcdefghijklmnopqr"[digit] for digit in (number // 18, number % 18))
        + "son"
        for number in range(300)
    ]
    crowd(customers, ["Carole"], surnames)
    ContactFactory(external_id="CON-CAROLE", account=customers.ours, full_name="Carole Hendrix")
    # when
    hit = first(customers.admin, "Carole Hendirx")
    # then
    assert (hit.external_id, hit.closeness) == ("CON-CAROLE", "close")


def test_finds_a_contact_whose_name_was_typed_without_its_space(customers) -> None:  # noqa: ANN001
    # given: many Brians and many Barbers
    crowd(customers, ["Brian", "Ian", "Sian", "Adriana"], ["Barber", "Barker", "Brand", "Baxter"])
    ContactFactory(external_id="CON-BRIAN", account=customers.ours, full_name="Brian Barbour")
    # when
    hit = first(customers.admin, "BrianBarbour")
    # then
    assert hit.external_id == "CON-BRIAN"


def test_finds_a_contact_when_a_typo_moved_the_space(customers) -> None:  # noqa: ANN001
    # given
    crowd(customers, ["Donato", "Donatella"], ["Comolli", "Como", "Colli"])
    ContactFactory(
        external_id="CON-DONATELLO", account=customers.ours, full_name="Donatello Comolli"
    )
    # when
    hit = first(customers.admin, "Donatell oComolli")
    # then
    assert hit.external_id == "CON-DONATELLO"


def test_two_letters_swapped_beat_a_letter_replaced(customers) -> None:  # noqa: ANN001
    # given: both one letter from "Tarcie" as rapidfuzz's ratio counts, and alike otherwise
    ContactFactory(external_id="CON-STACIE", account=customers.ours, full_name="Stacie Conley")
    ContactFactory(external_id="CON-TRACIE", account=customers.ours, full_name="Tracie Conley")
    # when
    hits = search_customers(user=customers.admin, text="Tarcie Conley")
    # then: a swap is the likelier slip
    assert [hit.external_id for hit in hits[:2]] == ["CON-TRACIE", "CON-STACIE"]


def test_finds_accounts_from_part_of_a_name(customers) -> None:  # noqa: ANN001
    # when
    ids = found_ids(customers.rep, "acme")
    # then
    assert {"ACC-ACME", "ACC-ACME-LOG", "ACC-ACME-SVC"} <= set(ids)


def test_finds_a_contact_by_preferred_name(customers) -> None:  # noqa: ANN001
    # when
    hit = first(customers.rep, "Rich Stone")
    # then
    assert hit.external_id == "CON-RICH"


def test_finds_an_account_by_alias(customers) -> None:  # noqa: ANN001
    # when
    hit = first(customers.rep, "OT Group")
    # then
    assert (hit.external_id, hit.matched, hit.score) == ("ACC-OURS", "alias", 100.0)


def test_folds_accents_and_case(customers) -> None:  # noqa: ANN001
    # when
    hits = [first(customers.rep, text) for text in ("Zoe Muller", "ZOË MÜLLER", "zoe mulller")]
    # then
    assert {(hit.external_id, hit.name) for hit in hits} == {("CON-ZOE", "Zoë Müller")}


def test_a_two_letter_text_finds_names_starting_with_it(customers) -> None:  # noqa: ANN001
    # when
    ids = found_ids(customers.rep, "Ac")
    # then
    assert "ACC-ACME" in ids


def test_puts_the_best_match_first(customers) -> None:  # noqa: ANN001
    # when
    hits = search_customers(user=customers.rep, text="Acme Telecom")
    # then
    assert [hit.external_id for hit in hits[:2]] == ["ACC-ACME", "ACC-ACME-SVC"]
    assert hits[0].score == 100.0
    assert [hit.score for hit in hits] == sorted((hit.score for hit in hits), reverse=True)


def test_returns_at_most_the_limit(customers) -> None:  # noqa: ANN001
    # given
    for number in range(5):
        AccountFactory(name=f"Acme Branch {number}", owner=customers.rep)
    # when
    hits = search_customers(user=customers.rep, text="Acme", limit=2)
    # then
    assert len(hits) == 2


def test_returns_nothing_for_blank_text_or_gibberish(customers) -> None:  # noqa: ANN001
    assert search_customers(user=customers.rep, text="   ") == []
    assert search_customers(user=customers.rep, text="qxzvw kjhgf") == []


# --- Identifiers -------------------------------------------------------------------------


def test_finds_a_contact_by_email_whatever_its_case(customers) -> None:  # noqa: ANN001
    # when
    hit = first(customers.rep, "RICHARD.STONE@Ours-Telecom.example")
    # then
    assert (hit.external_id, hit.matched, hit.score) == ("CON-RICH", "email", 100.0)


def test_finds_a_contact_by_part_of_an_email(customers) -> None:  # noqa: ANN001
    # when
    hit = first(customers.rep, "richard.stone@ours")
    # then
    assert (hit.external_id, hit.matched) == ("CON-RICH", "email")


def test_finds_a_contact_by_a_misspelled_email(customers) -> None:  # noqa: ANN001
    # when
    hit = first(customers.rep, "richard.stnoe@ours-telecom.example")
    # then
    assert (hit.external_id, hit.matched) == ("CON-RICH", "email")


def test_finds_a_contact_by_an_email_misspelled_on_both_sides_of_its_at(
    customers,  # noqa: ANN001
) -> None:
    for user in (customers.rep, customers.executive):
        # when
        hit = first(user, "richard.ston@eours-telecom.example")
        # then
        assert (hit.external_id, hit.matched) == ("CON-RICH", "email")


@pytest.mark.parametrize("phone", ["+1 (555) 010-2000", "555.010.2000", "5550102000"])
def test_finds_a_contact_by_phone_in_any_format(customers, phone: str) -> None:  # noqa: ANN001
    # when
    hit = first(customers.rep, phone)
    # then
    assert (hit.kind, hit.external_id, hit.matched, hit.score) == (
        "contact", "CON-RICH", "phone", 100.0
    )


@pytest.mark.parametrize("typed", ["011 4553 1976", "+39 011 4553 1976", "0039 011 45531976"])
def test_finds_an_international_number_typed_in_its_national_form(
    customers, typed: str  # noqa: ANN001
) -> None:
    # given a customer in Turin, stored with its country code
    ContactFactory(
        external_id="CON-TORINO", account=customers.ours, full_name="Giulia Verdi",
        phone="+39 011 4553 1976",
    )
    # when someone types the number as it is dialled in Italy
    hit = first(customers.rep, typed)
    # then
    assert (hit.external_id, hit.matched, hit.score) == ("CON-TORINO", "phone", 100.0)


def test_finds_an_account_by_phone(customers) -> None:  # noqa: ANN001
    # when
    hit = first(customers.rep, "(555) 010-3000")
    # then
    assert (hit.kind, hit.external_id, hit.matched) == ("account", "ACC-ACME", "phone")


@pytest.mark.parametrize("text", ["ACC-ACME", "acc-acme"])
def test_finds_an_account_by_external_id(customers, text: str) -> None:  # noqa: ANN001
    # when
    hit = first(customers.rep, text)
    # then
    assert (hit.external_id, hit.matched, hit.score) == ("ACC-ACME", "external_id", 100.0)


def test_finds_a_contact_by_external_id(customers) -> None:  # noqa: ANN001
    # when
    hit = first(customers.rep, "CON-RICH")
    # then
    assert (hit.kind, hit.external_id, hit.matched) == ("contact", "CON-RICH", "external_id")


def test_finds_the_account_of_an_invoice_number(customers) -> None:  # noqa: ANN001
    # when
    hit = first(customers.rep, "INV-2026-0042")
    # then
    assert (hit.kind, hit.external_id, hit.matched) == ("account", "ACC-OURS", "invoice_number")


# --- Visibility --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Theirs Utilities", "Theirs Utilties", "ACC-THEIRS", "INV-THEIRS-1", "Rita Stone",
        "rita.stone@theirs.example", "rita.stone", "555-010-4000", "CON-RITA", "Th", "Stone",
    ],
)
def test_rep_never_finds_another_teams_customers(customers, text: str) -> None:  # noqa: ANN001
    # when
    hits = search_customers(user=customers.rep, text=text, limit=50)
    # then
    assert not [hit for hit in hits if "THEIRS" in hit.account_external_id]
    assert "CON-RITA" not in [hit.external_id for hit in hits]


def test_rep_finds_their_contact_from_a_misspelling_and_never_anothers(
    customers,  # noqa: ANN001
) -> None:
    # given: another team's contact with nearly the same name
    ContactFactory(external_id="CON-RICHIE", account=customers.theirs, full_name="Richard Stones")
    # when
    ids = found_ids(customers.rep, "Richrd Stnoe", limit=50)
    # then
    assert ids[0] == "CON-RICH"
    assert "CON-RICHIE" not in ids
    assert first(customers.other_rep, "Richrd Stnoe").external_id == "CON-RICHIE"


def search_queries(user, text: str) -> list[str]:  # noqa: ANN001
    with CaptureQueriesContext(connection) as captured:
        search_customers(user=user, text=text)
    return [query["sql"] for query in captured.captured_queries]


@pytest.mark.parametrize("text", ["Richrd Stone", "Acme", "richard.stnoe"])
def test_a_rep_is_searched_over_their_accounts_in_a_few_queries_whatever_the_others(
    customers, text: str, django_assert_max_num_queries,  # noqa: ANN001
) -> None:
    # given
    before = search_queries(customers.rep, text)
    for number in range(20):
        other = AccountFactory(name=f"Acme Other {number}", owner=customers.other_rep)
        ContactFactory(account=other, full_name=f"Richard Stone {number}")
    # when
    with django_assert_max_num_queries(len(before)):
        hits = search_customers(user=customers.rep, text=text)
    # then: no index of every account's names was asked; the rep's own rows were scored
    assert len(before) <= 8
    assert not [sql for sql in before if "_search" in sql or "_term" in sql or "<%" in sql]
    assert hits
    assert not [hit for hit in hits if "THEIRS" in hit.account_external_id]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Richrd Stone", "CON-RICH"), ("Acme Telcom", "ACC-ACME"),
        ("richard.stnoe@ours-telecom.example", "CON-RICH"), ("Ac", "ACC-ACME"),
    ],
)
def test_a_user_seeing_many_accounts_is_searched_by_the_indexes_within_them(
    customers, monkeypatch, text: str, expected: str,  # noqa: ANN001
) -> None:
    # given: the rep counts as seeing too many accounts to read them all
    monkeypatch.setattr(search, "SMALL_SCOPE_ACCOUNTS", 0)
    # when
    ids = found_ids(customers.rep, text, limit=50)
    # then
    assert ids[0] == expected
    assert "CON-RITA" not in found_ids(customers.rep, "Rita Stone", limit=50)
    assert "ACC-THEIRS" not in found_ids(customers.rep, "Theirs Utilties", limit=50)


def test_managers_find_their_reports_customers_only(customers) -> None:  # noqa: ANN001
    assert "CON-RICH" in found_ids(customers.director, "Richrd Stone")
    assert "CON-RITA" not in found_ids(customers.director, "Rita Stone")
    assert "CON-RITA" in found_ids(customers.other_manager, "Rita Stone")


def test_executive_finds_every_customer(customers) -> None:  # noqa: ANN001
    # when
    ids = found_ids(customers.executive, "Stone")
    # then
    assert {"CON-RICH", "CON-RITA"} <= set(ids)


def test_inactive_user_finds_nothing(customers) -> None:  # noqa: ANN001
    # given
    customers.executive.is_active = False
    # then
    assert search_customers(user=customers.executive, text="ACC-ACME") == []


# --- The index follows the data ----------------------------------------------------------


def test_finds_rows_written_in_bulk(customers) -> None:  # noqa: ANN001
    # given: bulk_create bypasses save(), as the generator and importers may
    account = Account(external_id="ACC-BULK", name="Brightwater Holdings", owner=customers.rep)
    account.refresh_derived_fields()
    Account.objects.bulk_create([account])
    account = Account.objects.get(external_id="ACC-BULK")
    contact = Contact(external_id="CON-BULK", account=account, full_name="Oskar Lindqvist")
    contact.refresh_derived_fields()
    Contact.objects.bulk_create([contact])
    # then: a rep, and a user seeing every account (on PostgreSQL, by the name vocabularies)
    for user in (customers.rep, customers.executive):
        assert first(user, "Brightwatr Holdings").external_id == "ACC-BULK"
        assert first(user, "Oskar Lindkvist").external_id == "CON-BULK"


def test_finds_a_renamed_account_by_its_new_name_only(customers) -> None:  # noqa: ANN001
    # given
    acme = Account.objects.get(external_id="ACC-ACME")
    acme.name = "Zenith Networks"
    acme.save()
    # then
    for user in (customers.rep, customers.executive):
        assert first(user, "Zenith Netwrks").external_id == "ACC-ACME"
        assert "ACC-ACME" not in found_ids(user, "Acme Telecom")


def test_forgets_a_deleted_contact(customers) -> None:  # noqa: ANN001
    # given
    Contact.objects.filter(external_id="CON-ZOE").delete()
    # then
    assert "CON-ZOE" not in found_ids(customers.rep, "Zoe Muller")


def test_the_search_indexes_exist(db) -> None:  # noqa: ANN001
    # A migration that remakes accounts_account or accounts_contact on SQLite drops the
    # triggers that keep the FTS5 tables in sync; this notices.
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT indexname FROM pg_indexes WHERE indexname LIKE '%%_trgm' "
                "OR indexname LIKE '%%_words_gin' "
                "UNION SELECT tgname FROM pg_trigger WHERE tgname LIKE '%%_term_%%' "
                "OR tgname LIKE '%%_words_%%'"
            )
            # The words of names (migration 0008) and the vocabulary of e-mail parts
            # (migration 0004), kept by triggers, and the indexes that read them.
            vocabularies = ["accounts_account_words", "accounts_contact_words"]
            expected = {f"{table}_gin" for table in vocabularies}
            vocabularies.append("accounts_contact_email_term")
            expected |= {"accounts_contact_email_trgm", "accounts_contact_email_term_trgm"}
            events = ("insert", "update")
            expected |= {f"{table}_{event}" for table in vocabularies for event in events}
        else:
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
            tables = [
                "accounts_account_words", "accounts_contact_words",
                "accounts_contact_email_search",
            ]
            events = ("insert", "update", "delete")
            expected = {f"{table}_{event}" for table in tables for event in events}
        found = {row[0] for row in cursor.fetchall()}
    assert expected <= found


# --- The command -------------------------------------------------------------------------


def run_search(*args: str) -> str:
    out = StringIO()
    call_command("search", *args, stdout=out)
    return out.getvalue()


def test_command_prints_the_contract_keys_as_json_best_first(customers) -> None:  # noqa: ANN001
    # when
    results = json.loads(run_search("Acme Telecom", "--json"))
    # then
    assert isinstance(results, list) and results
    assert all(list(result) == CONTRACT_KEYS for result in results)
    assert results[0] == {
        "kind": "account", "external_id": "ACC-ACME", "name": "Acme Telecom",
        "account_external_id": "ACC-ACME", "account_name": "Acme Telecom",
        "matched": "name", "score": 100.0, "closeness": "exact",
    }
    scores = [result["score"] for result in results]
    assert scores == sorted(scores, reverse=True)


def test_command_sees_everything_without_as_user(customers) -> None:  # noqa: ANN001
    # when
    results = json.loads(run_search("Rita Stone", "--json", "--limit", "3"))
    # then
    assert results[0]["external_id"] == "CON-RITA"
    assert len(results) <= 3


def test_command_as_a_rep_never_shows_another_teams_customers(customers) -> None:  # noqa: ANN001
    for text in ("Rita Stone", "INV-THEIRS-1", "Theirs Utilities", "555 010 4000"):
        # when
        results = json.loads(run_search(text, "--json", "--as-user", "rep"))
        # then
        assert not [r for r in results if r["account_external_id"] == "ACC-THEIRS"], text


def test_command_prints_a_table_for_people(customers) -> None:  # noqa: ANN001
    # when
    output = run_search("Richrd Stone")
    # then
    assert "CON-RICH" in output and "Richard Stone" in output and "Ours Telecom" in output


@pytest.mark.parametrize(
    "args", [["  "], ["Acme", "--limit", "0"], ["Acme", "--as-user", "nobody"]]
)
def test_command_rejects_bad_input_with_exit_code_2(customers, args: list[str]) -> None:  # noqa: ANN001
    # when
    with pytest.raises(CommandError) as raised:
        run_search(*args)
    # then
    assert raised.value.returncode == 2


# --- How well it matched -----------------------------------------------------------------


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    typed=strategies.text(alphabet="abcdefghijklmnopqrstuvwxyz ", min_size=8, max_size=30)
    .filter(lambda typed: len(typed.replace(" ", "")) >= 8)
)
def test_random_letters_find_no_close_match(customers, typed: str) -> None:  # noqa: ANN001
    # when: as a rep (their accounts read by id) and as an executive (the name indexes)
    for user in (customers.rep, customers.executive):
        hits = search_customers(user=user, text=typed)
        # then
        assert not [hit for hit in hits if hit.is_close], (typed, hits)


def test_a_short_name_inside_a_long_query_is_not_a_match(customers) -> None:  # noqa: ANN001
    # given: the demo answered "xyzzy nothing" with accounts "matched alias"
    AccountFactory(name="Nothing Ventures", aliases="Nothing", owner=customers.rep)
    # when
    hits = search_customers(user=customers.rep, text="xyzzy nothing")
    # then
    assert not [hit for hit in hits if hit.is_close]


def test_says_how_well_each_hit_matched(customers) -> None:  # noqa: ANN001
    # then
    assert first(customers.rep, "Acme Telecom").closeness == "exact"
    assert first(customers.rep, "INV-2026-0042").closeness == "exact"
    assert first(customers.rep, "Acme Telcom").closeness == "close"
    assert first(customers.rep, "Richrd Stone").closeness == "close"
    loose = first(customers.rep, "Ourz")
    assert (loose.external_id, loose.closeness) == ("ACC-OURS", "loose")


def test_says_in_words_what_matched(customers) -> None:  # noqa: ANN001
    # then
    assert first(customers.rep, "Rich Stone").match_in_words == "Exact match on the preferred name"
    assert first(customers.rep, "Acme Telcom").match_in_words == "Close match on the name"
    assert first(customers.rep, "INV-2026-0042").match_in_words == (
        "Exact match on the invoice number"
    )
    assert first(customers.rep, "OT Group").match_in_words == "Exact match on the alias"
