"""``heedful convert-maven SOURCE TARGET``: the Maven "CRM + Sales + Opportunities" folder as
canonical CSV files, for ``heedful import-all TARGET`` (docs/maven-pipeline.md)."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from heedful.integrations.maven_pipeline import convert


class Command(BaseCommand):
    help = "Write the Maven CRM + Sales + Opportunities data as canonical CSV files."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("source", help="The folder holding sales_pipeline.csv, …")
        parser.add_argument("target", help="The folder to write users.csv, … into.")

    def handle(self, *args: Any, **options: Any) -> None:
        source = Path(options["source"])
        if not (source / "sales_pipeline.csv").is_file():
            raise CommandError(f"{source}: no sales_pipeline.csv here", returncode=2)
        for kind, count in convert(source, Path(options["target"])).items():
            self.stdout.write(f"{options['target']}/{kind}.csv: {count} rows")
