from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from teilhabe.core import services


class Command(BaseCommand):
    help = (
        "Load a city's districts from a GeoJSON FeatureCollection of (Multi)Polygons in WGS84. "
        "All or nothing: on any error nothing is changed."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("path", type=Path)
        parser.add_argument(
            "--number-property", default="number", help="feature property with the district number"
        )
        parser.add_argument(
            "--name-property", default="name", help="feature property with the district name"
        )
        parser.add_argument(
            "--replace", action="store_true", help="delete districts that are not in the file"
        )

    def handle(
        self, *args, path: Path, number_property: str, name_property: str, replace: bool, **options
    ) -> None:
        try:
            written = services.districts_load(
                path,
                number_property=number_property,
                name_property=name_property,
                replace=replace,
            )
        except services.DataImportError as exc:
            raise CommandError(f"{exc}. Nothing was changed.") from exc
        self.stdout.write(f"Districts: {written} rows written.")
