import argparse
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from teilhabe.offers import csv_io
from teilhabe.offers.models import Offer


class Command(BaseCommand):
    help = (
        "Export offers as CSV in the columns import_offers_csv reads (so the file imports as the "
        "same offers). By default UTF-8 with byte-order mark and semicolons, as German Excel "
        "expects; all offers except archived ones and pending changes.\n\nColumns:\n"
        + csv_io.columns_help()
    )

    def create_parser(self, prog_name, subcommand, **kwargs):
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        parser.formatter_class = argparse.RawDescriptionHelpFormatter
        return parser

    def add_arguments(self, parser) -> None:
        parser.add_argument("path", nargs="?", default="-", help="output file; - for stdout")
        parser.add_argument("--delimiter", choices=[";", ","], default=";")
        parser.add_argument("--no-bom", action="store_true", help="without byte-order mark")
        parser.add_argument(
            "--status",
            action="append",
            choices=[value for value, _label in Offer.Status.choices],
            help="only offers with this status (repeatable)",
        )
        parser.add_argument("--organisation", help="only this organisation's offers (short name)")

    def handle(
        self, *args, path: str, delimiter: str, no_bom: bool, status, organisation, **options
    ) -> None:
        offers = csv_io.exportable_offers(status)
        if organisation:
            offers = offers.filter(organisation__slug=organisation)
        text = csv_io.offers_export(offers, delimiter=delimiter, bom=not no_bom)
        if path == "-":
            self.stdout.write(text, ending="")
            return
        try:
            Path(path).write_text(text, encoding="utf-8", newline="")
        except OSError as exc:
            raise CommandError(f"{path}: {exc.strerror}") from exc
        self.stderr.write(f"{path}: {offers.count()} offers exported.")
