import argparse
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from teilhabe.offers import csv_io


class Command(BaseCommand):
    help = (
        "Import offers from a CSV file (UTF-8, comma or semicolon), all or nothing: every bad "
        "row is reported with its line number and nothing is written. The offers go to review "
        "unless --publish is given.\n\nColumns (header row; title, organisation and category "
        "are required):\n" + csv_io.columns_help()
    )

    def create_parser(self, prog_name, subcommand, **kwargs):
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        parser.formatter_class = argparse.RawDescriptionHelpFormatter
        return parser

    def add_arguments(self, parser) -> None:
        parser.add_argument("path", type=Path, help="the CSV file")
        parser.add_argument(
            "--publish",
            action="store_true",
            help="put the offers on the map at once instead of sending them to review",
        )
        parser.add_argument(
            "--check", action="store_true", help="only check the file; write nothing"
        )

    def handle(self, *args, path: Path, publish: bool, check: bool, **options) -> None:
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"{path}: {exc.strerror}") from exc
        if check:
            rows, errors = csv_io.parse_file(data)
            if errors:
                raise CommandError(self._errors(path, errors))
            self.stdout.write(f"{path}: {len(rows)} offers can be imported.")
            return
        try:
            offers = csv_io.offers_import(data, publish=publish)
        except csv_io.CsvImportError as exc:
            raise CommandError(self._errors(path, exc.errors)) from exc
        where = "published on the map" if publish else "waiting for review"
        self.stdout.write(f"{path}: {len(offers)} offers imported, {where}.")

    def _errors(self, path: Path, errors: list[csv_io.RowError]) -> str:
        lines = "\n".join(f"  {error}" for error in errors)
        return f"{path}: {len(errors)} problem(s), nothing was imported:\n{lines}"
