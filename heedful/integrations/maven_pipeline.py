"""The public Maven Analytics "CRM + Sales + Opportunities" data set, written as Heedful's
canonical CSV files (users, accounts, opportunities, stage_changes) for ``heedful import-all``.

How its columns become ours (docs/maven-pipeline.md says it for people):

- agents are reps, their managers managers (``sales_teams.csv``); usernames are the names
  lower-cased with dots (``Moses Frase`` → ``moses.frase``);
- accounts keep their name; the external id is ``MAVEN-`` and the name in capitals with
  hyphens; the 1,425 open deals that name no account go to one account, ``MAVEN-NO-ACCOUNT``;
- an opportunity is created on its ``engage_date`` (Prospecting deals have none), closes on
  ``close_date`` (Won or Lost); its amount is ``close_value`` once closed and the product's list
  price (``products.csv``, where ``GTXPro`` is ``GTX Pro``) while open; all in USD;
- the forecast category is ``closed`` once closed, ``best_case`` while Engaging and
  ``pipeline`` while Prospecting;
- stage history: Engaging on the engage date, Won or Lost on the close date.
"""

import csv
import re
from pathlib import Path

NO_ACCOUNT = "MAVEN-NO-ACCOUNT"
PRODUCT_SPELLINGS = {"GTXPro": "GTX Pro"}
FORECAST_OF_STAGE = {"Prospecting": "pipeline", "Engaging": "best_case"}


def username_of(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", ".", name.lower()).strip(".")


def account_id_of(name: str) -> str:
    return "MAVEN-" + re.sub(r"[^A-Z0-9]+", "-", name.upper()).strip("-")


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as file:
        return list(csv.DictReader(file))


def _write(path: Path, header: list[str], rows: list[dict[str, str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as file:
        writer = csv.DictWriter(file, fieldnames=header, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def convert(source: Path, target: Path) -> dict[str, int]:
    """Write the canonical files for the Maven folder ``source`` into ``target``; answers
    how many rows each file has."""
    target.mkdir(parents=True, exist_ok=True)
    teams = _read(source / "sales_teams.csv")
    prices = {row["product"]: row["sales_price"] for row in _read(source / "products.csv")}
    users = {
        username_of(manager): {"username": username_of(manager), "full_name": manager,
                               "role": "manager", "manager_username": ""}
        for manager in sorted({row["manager"] for row in teams})
    }
    for row in teams:
        users[username_of(row["sales_agent"])] = {
            "username": username_of(row["sales_agent"]), "full_name": row["sales_agent"],
            "role": "rep", "manager_username": username_of(row["manager"]),
        }
    accounts = [
        {"external_id": account_id_of(row["account"]), "name": row["account"],
         "industry": row["sector"], "country": row["office_location"], "status": "customer"}
        for row in _read(source / "accounts.csv")
    ]
    accounts.append({
        "external_id": NO_ACCOUNT, "name": "No account named (Maven)", "industry": "",
        "country": "", "status": "prospect",
    })
    opportunities, changes = [], []
    for row in _read(source / "sales_pipeline.csv"):
        stage, closed = row["deal_stage"], row["deal_stage"] in ("Won", "Lost")
        product = PRODUCT_SPELLINGS.get(row["product"], row["product"])
        account = account_id_of(row["account"]) if row["account"] else NO_ACCOUNT
        opportunities.append({
            "external_id": row["opportunity_id"], "account_external_id": account,
            "name": f"{product} for {row['account'] or 'an unnamed account'}",
            "owner_username": username_of(row["sales_agent"]), "stage": stage,
            "amount": row["close_value"] if closed else prices[product], "currency": "USD",
            "created_on": row["engage_date"], "close_date": row["close_date"],
            "closed_on": row["close_date"] if closed else "",
            "won": {"Won": "true", "Lost": "false"}.get(stage, ""),
            "forecast_category": "closed" if closed else FORECAST_OF_STAGE[stage],
        })
        if row["engage_date"]:
            changes.append({"opportunity_external_id": row["opportunity_id"],
                            "stage": "Engaging", "changed_at": row["engage_date"] + "T00:00:00Z"})
        if closed:
            changes.append({"opportunity_external_id": row["opportunity_id"], "stage": stage,
                            "changed_at": row["close_date"] + "T00:00:00Z"})
    files = {
        "users": (["username", "full_name", "role", "manager_username"], list(users.values())),
        "accounts": (["external_id", "name", "industry", "country", "status"], accounts),
        "opportunities": (list(opportunities[0]), opportunities),
        "stage_changes": (["opportunity_external_id", "stage", "changed_at"], changes),
    }
    for kind, (header, rows) in files.items():
        _write(target / f"{kind}.csv", header, rows)
    return {kind: len(rows) for kind, (_header, rows) in files.items()}
