"""Offers as CSV, for staff who keep lists in a spreadsheet: import (all or nothing) and export.

Columns (the header row names them; order does not matter, only `title`, `organisation` and
`category` are required, a missing column counts as empty):

==================  =========================================================================
title               German title (required)
description         German description
organisation        the organisation's short name (slug) or its exact name (required)
category            category slug: beratung, spenden, bildung, patenschaften, freizeit,
                    treffpunkte (or the category's German name) (required)
target_groups       target group slugs separated by ``|``, e.g. ``refugees|women``
languages           language codes separated by ``|``, e.g. ``de|ar|fa``
is_free             yes/no (ja/nein, 1/0, true/false); empty means yes
cost_note           text on costs
wheelchair_access   yes, partly, no or unknown (ja, teilweise, nein, unbekannt); empty: unknown
street              street and house number
postcode            postcode
city                city
latitude            WGS84 latitude, e.g. 51.5136 (a decimal comma is accepted)
longitude           WGS84 longitude, e.g. 7.4653
by_appointment      yes/no; empty means no
hours_note          note on opening hours
weekly_slots        weekly hours separated by ``|``: ``Mo 10:00-12:00|Mi 14:00-16:00``;
                    German or English weekday names or abbreviations (Mo Di Mi Do Fr Sa So,
                    Mon Tue Wed Thu Fri Sat Sun), day ranges and lists (``Mo-Fr 9-12``,
                    ``Di,Do 15:00-17:00``)
dates               single dates separated by ``|``: ``2025-05-01 10:00-12:00|24.12.2025``
phone, email, website   contact of the offer
title_en, description_en, title_ar, description_ar
                    translations (published at once); ``title_<code>`` and
                    ``description_<code>`` work for every language code known to the platform
==================  =========================================================================

Files are UTF-8 (with or without byte-order mark, as "CSV UTF-8" from Excel); the delimiter is a
comma or a semicolon (German Excel), detected from the header row.

Rows need coordinates: a geocoder is only used if the setting ``OFFERS_GEOCODER`` names one
(a dotted path to ``f(street, postcode, city) -> (latitude, longitude) | None``).

Import is all or nothing: every bad row is reported with its line number and reason and nothing
is written. Imported offers go to review (staff approve them), or straight onto the map with
``publish=True``. Export writes the same columns, so an exported file imports as the same offers.
"""

import csv
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from teilhabe.core.models import Language, Organisation, TargetGroup
from teilhabe.core.services import DataImportError
from teilhabe.offers.models import Category, Offer, OfferTranslation, OneOffDate, WeeklySlot
from teilhabe.offers.services import offer_locate

COLUMNS: tuple[str, ...] = (
    "title",
    "description",
    "organisation",
    "category",
    "target_groups",
    "languages",
    "is_free",
    "cost_note",
    "wheelchair_access",
    "street",
    "postcode",
    "city",
    "latitude",
    "longitude",
    "by_appointment",
    "hours_note",
    "weekly_slots",
    "dates",
    "phone",
    "email",
    "website",
    "title_en",
    "description_en",
    "title_ar",
    "description_ar",
)
REQUIRED_COLUMNS = ("title", "organisation", "category")
# What each column holds (shown by `import_offers_csv --help` and the admin's import page).
COLUMN_HELP: tuple[tuple[str, str], ...] = (
    ("title", gettext_lazy("German title (required)")),
    ("description", gettext_lazy("German description")),
    (
        "organisation",
        gettext_lazy("short name (slug) or exact name of the organisation (required)"),
    ),
    (
        "category",
        gettext_lazy(
            "category short name: beratung, spenden, bildung, patenschaften, freizeit, "
            "treffpunkte (required)"
        ),
    ),
    ("target_groups", gettext_lazy("target group short names separated by |, e.g. refugees|women")),
    ("languages", gettext_lazy("language codes separated by |, e.g. de|ar|fa")),
    ("is_free", gettext_lazy("yes or no (ja/nein); empty means yes")),
    ("cost_note", gettext_lazy("text on costs")),
    ("wheelchair_access", gettext_lazy("yes, partly, no or unknown; empty means unknown")),
    ("street", gettext_lazy("street and house number")),
    ("postcode", gettext_lazy("postcode")),
    ("city", gettext_lazy("city")),
    ("latitude", gettext_lazy("latitude (WGS84), e.g. 51.5136; required")),
    ("longitude", gettext_lazy("longitude (WGS84), e.g. 7.4653; required")),
    ("by_appointment", gettext_lazy("yes or no; empty means no")),
    ("hours_note", gettext_lazy("note on opening hours")),
    (
        "weekly_slots",
        gettext_lazy(
            "weekly hours separated by |, e.g. Mo 10:00-12:00|Mi 14:00-16:00 (German or English "
            "weekdays; Mo-Fr 9-12 and Di,Do 15-17 work too)"
        ),
    ),
    ("dates", gettext_lazy("single dates separated by |, e.g. 2025-05-01 10:00-12:00|24.12.2025")),
    ("phone", gettext_lazy("phone number")),
    ("email", gettext_lazy("e-mail address")),
    ("website", gettext_lazy("web address")),
    ("title_en", gettext_lazy("English title")),
    ("description_en", gettext_lazy("English description")),
    ("title_ar", gettext_lazy("Arabic title")),
    (
        "description_ar",
        gettext_lazy(
            "Arabic description (title_<code> and description_<code> work for every language "
            "code of the platform)"
        ),
    ),
)
TRANSLATION_COLUMN = re.compile(r"^(title|description)_([a-z]{2,3})$")
# Plain text fields copied as they are (after trimming).
TEXT_FIELDS = (
    "title",
    "description",
    "cost_note",
    "street",
    "postcode",
    "city",
    "hours_note",
    "phone",
)

WEEKDAY_ABBREVIATIONS = ("Mo", "Di", "Mi", "Do", "Fr", "Sa", "So")
_WEEKDAYS: dict[str, int] = {}
for _number, _names in enumerate(
    (
        ("mo", "mon", "montag", "monday"),
        ("di", "die", "dienstag", "tu", "tue", "tues", "tuesday"),
        ("mi", "mit", "mittwoch", "we", "wed", "wednesday"),
        ("do", "don", "donnerstag", "th", "thu", "thur", "thurs", "thursday"),
        ("fr", "fri", "frei", "freitag", "friday"),
        ("sa", "sam", "sat", "samstag", "sonnabend", "saturday"),
        ("so", "son", "sonntag", "su", "sun", "sunday"),
    )
):
    for _name in _names:
        _WEEKDAYS[_name] = _number

_TIME_RANGE = re.compile(
    r"^(\d{1,2})(?:[:.](\d{2}))?\s*(?:uhr)?\s*[-–—]\s*(\d{1,2})(?:[:.](\d{2}))?\s*(?:uhr)?$",
    re.IGNORECASE,
)
_TRUE = {"yes", "y", "ja", "j", "1", "true", "wahr", "x"}
_FALSE = {"no", "n", "nein", "0", "false", "falsch"}
_ACCESS = {
    "yes": Offer.Access.YES,
    "ja": Offer.Access.YES,
    "partly": Offer.Access.PARTLY,
    "partial": Offer.Access.PARTLY,
    "teilweise": Offer.Access.PARTLY,
    "no": Offer.Access.NO,
    "nein": Offer.Access.NO,
    "unknown": Offer.Access.UNKNOWN,
    "unbekannt": Offer.Access.UNKNOWN,
    "": Offer.Access.UNKNOWN,
}


@dataclass(frozen=True)
class RowError:
    line: int
    message: str

    def __str__(self) -> str:
        return _("line %(line)s: %(message)s") % {"line": self.line, "message": self.message}


class CsvImportError(DataImportError):
    """The file cannot be imported; `errors` lists every problem with its line number."""

    def __init__(self, errors: list[RowError]) -> None:
        self.errors = errors
        super().__init__("\n".join(str(error) for error in errors))


@dataclass
class ParsedRow:
    line: int
    values: dict
    target_groups: list[TargetGroup] = field(default_factory=list)
    languages: list[Language] = field(default_factory=list)
    slots: list[tuple[int, time, time]] = field(default_factory=list)
    dates: list[tuple[date, time | None, time | None]] = field(default_factory=list)
    translations: dict[str, tuple[str, str]] = field(default_factory=dict)


# --- small parsers (pure) -------------------------------------------------------------------


def parse_bool(text: str, *, default: bool) -> bool:
    value = text.strip().lower()
    if not value:
        return default
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ValueError(_("'%(text)s' is not yes or no") % {"text": text})


def parse_float(text: str) -> float | None:
    value = text.strip().replace(",", ".")
    if not value:
        return None
    try:
        return float(value)
    except ValueError:
        raise ValueError(_("'%(text)s' is not a number") % {"text": text}) from None


def _time(hours: str, minutes: str | None, text: str) -> time:
    try:
        return time(int(hours), int(minutes or 0))
    except ValueError:
        raise ValueError(_("'%(text)s' is not a time") % {"text": text}) from None


def parse_time_range(text: str) -> tuple[time, time]:
    match = _TIME_RANGE.match(text.strip())
    if not match:
        raise ValueError(_("'%(text)s' is not a time range like 10:00-12:00") % {"text": text})
    opens = _time(match.group(1), match.group(2), text)
    closes = _time(match.group(3), match.group(4), text)
    if opens >= closes:
        raise ValueError(_("'%(text)s': the end must be after the start") % {"text": text})
    return opens, closes


def _weekday(token: str, entry: str) -> int:
    key = token.strip().rstrip(".").lower()
    if key not in _WEEKDAYS:
        raise ValueError(
            _("'%(day)s' in '%(entry)s' is not a weekday (Mo, Di, … or Mon, Tue, …)")
            % {"day": token.strip(), "entry": entry}
        )
    return _WEEKDAYS[key]


def parse_weekly_slots(text: str) -> list[tuple[int, time, time]]:
    """'Mo 10:00-12:00|Mi 14-16|Di,Do 9-11|Mo-Fr 8:00-9:00' → [(weekday, opens, closes), …]
    (weekday 0 = Monday), sorted. Raises ValueError naming the bad part."""
    slots: set[tuple[int, time, time]] = set()
    for raw in re.split(r"[|\n]", text):
        entry = raw.strip()
        if not entry:
            continue
        match = re.match(r"^([^\d]+?)\s*(\d.*)$", entry)
        if not match:
            raise ValueError(
                _("'%(entry)s' is not a weekday with a time range like 'Mo 10:00-12:00'")
                % {"entry": entry}
            )
        days_part, times_part = match.groups()
        opens, closes = parse_time_range(times_part)
        days: list[int] = []
        for part in days_part.split(","):
            if not part.strip():
                continue
            bounds = re.split(r"\s*[-–]\s*", part.strip())
            if len(bounds) == 1:
                days.append(_weekday(bounds[0], entry))
            elif len(bounds) == 2:
                first, last = _weekday(bounds[0], entry), _weekday(bounds[1], entry)
                if first > last:
                    raise ValueError(
                        _("'%(days)s' in '%(entry)s' is not a range of days")
                        % {"days": part.strip(), "entry": entry}
                    )
                days.extend(range(first, last + 1))
            else:
                raise ValueError(
                    _("'%(day)s' in '%(entry)s' is not a weekday")
                    % {"day": part.strip(), "entry": entry}
                )
        if not days:
            raise ValueError(_("'%(entry)s' names no weekday") % {"entry": entry})
        slots.update((day, opens, closes) for day in days)
    return sorted(slots)


def format_weekly_slots(slots: Iterable[tuple[int, time, time]]) -> str:
    return "|".join(
        f"{WEEKDAY_ABBREVIATIONS[day]} {opens:%H:%M}-{closes:%H:%M}"
        for day, opens, closes in sorted(slots)
    )


def parse_dates(text: str) -> list[tuple[date, time | None, time | None]]:
    """'2025-05-01 10:00-12:00|24.12.2025' → [(date, starts, ends), …]."""
    dates: list[tuple[date, time | None, time | None]] = []
    for raw in re.split(r"[|\n]", text):
        entry = raw.strip()
        if not entry:
            continue
        day_text, _space, rest = entry.partition(" ")
        parsed = None
        for pattern in ("%Y-%m-%d", "%d.%m.%Y"):
            try:
                parsed = datetime.strptime(day_text, pattern).date()
                break
            except ValueError:
                continue
        if parsed is None:
            raise ValueError(
                _("'%(text)s' is not a date like 2025-05-01 or 01.05.2025") % {"text": day_text}
            )
        if rest.strip():
            starts, ends = parse_time_range(rest)
            dates.append((parsed, starts, ends))
        else:
            dates.append((parsed, None, None))
    return sorted(dates, key=lambda d: (d[0], d[1] or time.min))


def format_dates(dates: Iterable[tuple[date, time | None, time | None]]) -> str:
    parts = []
    for day, starts, ends in dates:
        if starts and ends:
            parts.append(f"{day:%Y-%m-%d} {starts:%H:%M}-{ends:%H:%M}")
        else:
            parts.append(f"{day:%Y-%m-%d}")
    return "|".join(parts)


def _split_list(text: str) -> list[str]:
    return [part.strip() for part in re.split(r"[|,]", text) if part.strip()]


# --- reading the file ---------------------------------------------------------------------


def read_table(data: bytes | str) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    """The header and the non-empty rows as (line number, {column: text}). Raises CsvImportError
    for a file that is not UTF-8 or has no usable header."""
    if isinstance(data, bytes):
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise CsvImportError(
                [
                    RowError(
                        text_line(data, exc.start),
                        _("the file is not UTF-8 encoded (in Excel: save as 'CSV UTF-8')"),
                    )
                ]
            ) from exc
    else:
        text = data.removeprefix("\ufeff")
    first_line = text.split("\n", 1)[0]
    counts = {delimiter: first_line.count(delimiter) for delimiter in (";", ",", "\t")}
    delimiter = max(counts, key=lambda d: counts[d])
    if not text.strip():
        raise CsvImportError([RowError(1, _("the file is empty"))])
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = [name.strip().lower() for name in next(reader)]
    except StopIteration:
        raise CsvImportError([RowError(1, _("the file is empty"))]) from None
    errors = []
    known_translation_codes = set(Language.objects.values_list("code", flat=True))
    for name in header:
        match = TRANSLATION_COLUMN.match(name)
        if name in COLUMNS or (match and match.group(2) in known_translation_codes):
            continue
        if name:
            errors.append(RowError(1, _("unknown column '%(name)s'") % {"name": name}))
    missing = [name for name in REQUIRED_COLUMNS if name not in header]
    if missing:
        errors.append(
            RowError(1, _("missing column(s): %(names)s") % {"names": ", ".join(missing)})
        )
    if len(set(header)) != len(header):
        errors.append(RowError(1, _("a column name appears twice")))
    if errors:
        raise CsvImportError(errors)
    rows: list[tuple[int, dict[str, str]]] = []
    line = reader.line_num + 1
    try:
        for record in reader:
            if any(cell.strip() for cell in record):
                if len(record) > len(header) and any(c.strip() for c in record[len(header) :]):
                    errors.append(
                        RowError(
                            line,
                            _("%(cells)s cells but only %(columns)s columns")
                            % {"cells": len(record), "columns": len(header)},
                        )
                    )
                else:
                    rows.append((line, dict(zip(header, record, strict=False))))
            line = reader.line_num + 1
    except csv.Error as exc:
        errors.append(RowError(line, _("unreadable CSV (%(error)s)") % {"error": exc}))
    if errors:
        raise CsvImportError(errors)
    return header, rows


def text_line(data: bytes, position: int) -> int:
    return data[:position].count(b"\n") + 1


# --- import -------------------------------------------------------------------------------


class _Vocabulary:
    """The rows a file refers to, loaded once."""

    def __init__(self) -> None:
        self.organisations_by_slug = {o.slug: o for o in Organisation.objects.all()}
        self.organisations_by_name: dict[str, list[Organisation]] = {}
        for organisation in self.organisations_by_slug.values():
            self.organisations_by_name.setdefault(organisation.name.casefold(), []).append(
                organisation
            )
        self.categories = {c.slug: c for c in Category.objects.all()}
        self.categories_by_name = {c.name.casefold(): c for c in self.categories.values()}
        self.target_groups = {t.slug: t for t in TargetGroup.objects.all()}
        self.languages = {language.code: language for language in Language.objects.all()}

    def organisation(self, text: str) -> Organisation:
        value = text.strip()
        if not value:
            raise ValueError(_("organisation is empty"))
        if value in self.organisations_by_slug:
            return self.organisations_by_slug[value]
        found = self.organisations_by_name.get(value.casefold(), [])
        if len(found) == 1:
            return found[0]
        if len(found) > 1:
            raise ValueError(
                _("organisation '%(name)s': several have this name, use the short name")
                % {"name": value}
            )
        raise ValueError(
            _("organisation '%(name)s' not found (give its short name or exact name)")
            % {"name": value}
        )

    def category(self, text: str) -> Category:
        value = text.strip()
        found = self.categories.get(value.lower()) or self.categories_by_name.get(value.casefold())
        if found is None:
            known = ", ".join(sorted(self.categories))
            raise ValueError(
                _("category '%(name)s' not found (one of: %(known)s)")
                % {"name": value, "known": known}
            )
        return found


def _geocode(street: str, postcode: str, city: str) -> tuple[float, float] | None:
    path = getattr(settings, "OFFERS_GEOCODER", None)
    if not path:
        raise ValueError(_("no coordinates and no geocoder configured"))
    found = import_string(path)(street, postcode, city)
    if not found:
        raise ValueError(_("no coordinates, and the geocoder did not find the address"))
    return found


def _parse_row(line: int, cells: dict[str, str], vocabulary: _Vocabulary) -> ParsedRow | list[str]:
    """A valid row, or the list of what is wrong with it."""
    problems: list[str] = []

    def cell(name: str) -> str:
        return (cells.get(name) or "").strip()

    values: dict = {name: cell(name) for name in TEXT_FIELDS}
    if not values["title"]:
        problems.append(_("title is empty"))
    try:
        values["organisation"] = vocabulary.organisation(cell("organisation"))
    except ValueError as exc:
        problems.append(str(exc))
    try:
        values["category"] = vocabulary.category(cell("category"))
    except ValueError as exc:
        problems.append(str(exc))
    for name, default in (("is_free", True), ("by_appointment", False)):
        try:
            values[name] = parse_bool(cell(name), default=default)
        except ValueError as exc:
            problems.append(f"{name}: {exc}")
    access = cell("wheelchair_access").lower()
    if access in _ACCESS:
        values["wheelchair_access"] = _ACCESS[access]
    else:
        problems.append(
            _("wheelchair_access: '%(text)s' is not yes, partly, no or unknown") % {"text": access}
        )

    coordinates: dict[str, float | None] = {}
    for name in ("latitude", "longitude"):
        try:
            coordinates[name] = parse_float(cell(name))
        except ValueError as exc:
            problems.append(f"{name}: {exc}")
    if len(coordinates) == 2:
        latitude, longitude = coordinates["latitude"], coordinates["longitude"]
        if (latitude is None) != (longitude is None):
            problems.append(_("give both latitude and longitude, or neither"))
        elif latitude is None:
            try:
                latitude, longitude = _geocode(values["street"], values["postcode"], values["city"])
            except ValueError as exc:
                problems.append(str(exc))
        if latitude is not None and not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
            problems.append(
                _("latitude must be between -90 and 90, longitude between -180 and 180")
            )
        values["latitude"], values["longitude"] = latitude, longitude

    email = cell("email")
    if email:
        try:
            validate_email(email)
        except ValidationError:
            problems.append(_("email: '%(text)s' is not an e-mail address") % {"text": email})
    values["email"] = email
    website = cell("website")
    if website and "://" not in website:
        website = f"https://{website}"
    if website:
        try:
            URLValidator(schemes=["http", "https"])(website)
        except ValidationError:
            problems.append(
                _("website: '%(text)s' is not a web address") % {"text": cell("website")}
            )
    values["website"] = website

    parsed = ParsedRow(line=line, values=values)
    for slug in _split_list(cell("target_groups")):
        if slug.lower() in vocabulary.target_groups:
            parsed.target_groups.append(vocabulary.target_groups[slug.lower()])
        else:
            known = ", ".join(sorted(vocabulary.target_groups))
            problems.append(
                _("target group '%(name)s' not found (one of: %(known)s)")
                % {"name": slug, "known": known}
            )
    for code in _split_list(cell("languages")):
        if code.lower() in vocabulary.languages:
            parsed.languages.append(vocabulary.languages[code.lower()])
        else:
            problems.append(_("language code '%(code)s' not found") % {"code": code})
    try:
        parsed.slots = parse_weekly_slots(cell("weekly_slots"))
    except ValueError as exc:
        problems.append(f"weekly_slots: {exc}")
    try:
        parsed.dates = parse_dates(cell("dates"))
    except ValueError as exc:
        problems.append(f"dates: {exc}")

    title_length = OfferTranslation._meta.get_field("title").max_length
    for code in sorted(vocabulary.languages):
        if code == "de":
            continue
        title, description = cell(f"title_{code}"), cell(f"description_{code}")
        if description and not title:
            problems.append(_("description_%(code)s needs a title_%(code)s") % {"code": code})
        elif title:
            if len(title) > title_length:
                problems.append(
                    _("title_%(code)s is longer than %(length)s characters")
                    % {"code": code, "length": title_length}
                )
            parsed.translations[code] = (title, description)

    # Lengths, choices and the model's own rules.
    candidate = Offer(
        **{k: v for k, v in values.items() if k not in ("organisation", "category")},
        status=Offer.Status.REVIEW,
    )
    try:
        candidate.full_clean(
            exclude=["organisation", "category", "district", "uuid", "latitude", "longitude"],
            validate_unique=False,
            validate_constraints=False,
        )
    except ValidationError as exc:
        for name, messages in exc.message_dict.items():
            if name in ("email", "website"):  # reported above in plain words
                continue
            problems.extend(f"{name}: {message}" for message in messages)
    return problems or parsed


def parse_file(data: bytes | str) -> tuple[list[ParsedRow], list[RowError]]:
    """Read and check a whole file without writing anything."""
    try:
        _header, rows = read_table(data)
    except CsvImportError as exc:
        return [], exc.errors
    vocabulary = _Vocabulary()
    parsed_rows: list[ParsedRow] = []
    errors: list[RowError] = []
    seen: dict[tuple, int] = {}
    for line, cells in rows:
        result = _parse_row(line, cells, vocabulary)
        if isinstance(result, list):
            errors.extend(RowError(line, problem) for problem in result)
            continue
        key = _duplicate_key(
            result.values["organisation"].pk, result.values["title"], result.values["street"]
        )
        if key in seen:
            errors.append(
                RowError(
                    line,
                    _("the same offer (organisation, title, street) as line %(line)s")
                    % {"line": seen[key]},
                )
            )
            continue
        seen[key] = line
        parsed_rows.append(result)
    if parsed_rows:
        existing = {
            _duplicate_key(organisation_id, title, street)
            for organisation_id, title, street in Offer.objects.originals()
            .exclude(status=Offer.Status.ARCHIVED)
            .filter(organisation__in={row.values["organisation"] for row in parsed_rows})
            .values_list("organisation_id", "title", "street")
        }
        for row in parsed_rows:
            values = row.values
            if _duplicate_key(values["organisation"].pk, values["title"], values["street"]) in (
                existing
            ):
                errors.append(
                    RowError(
                        row.line,
                        _(
                            "'%(title)s' of %(organisation)s at this street is already on the "
                            "platform"
                        )
                        % {"title": values["title"], "organisation": values["organisation"].name},
                    )
                )
    if not rows and not errors:
        errors.append(RowError(2, _("the file has no offers")))
    return parsed_rows, sorted(errors, key=lambda e: e.line)


def _duplicate_key(organisation_id: int, title: str, street: str) -> tuple:
    return (organisation_id, title.strip().casefold(), street.strip().casefold())


@transaction.atomic
def offers_import(
    data: bytes | str, *, publish: bool = False, user=None, now: datetime | None = None
) -> list[Offer]:
    """Create one offer per row, all or nothing. Raises CsvImportError listing every bad row.

    The offers wait in review for staff, or go onto the map at once with publish=True.
    """
    rows, errors = parse_file(data)
    if errors:
        raise CsvImportError(errors)
    now = now or timezone.now()
    created: list[Offer] = []
    for row in rows:
        offer = Offer(
            **row.values,
            status=Offer.Status.PUBLISHED if publish else Offer.Status.REVIEW,
            submitted_by=user,
        )
        if publish:
            offer.published_at = now
            offer.last_confirmed_at = now
        offer_locate(offer)
        offer.save()
        offer.target_groups.set(row.target_groups)
        offer.languages.set(row.languages)
        WeeklySlot.objects.bulk_create(
            WeeklySlot(offer=offer, weekday=day, opens=opens, closes=closes)
            for day, opens, closes in row.slots
        )
        OneOffDate.objects.bulk_create(
            OneOffDate(offer=offer, date=day, starts=starts, ends=ends)
            for day, starts, ends in row.dates
        )
        OfferTranslation.objects.bulk_create(
            OfferTranslation(offer=offer, language=code, title=title, description=description)
            for code, (title, description) in sorted(row.translations.items())
        )
        created.append(offer)
    return created


# --- export -------------------------------------------------------------------------------


def _yes_no(value: bool) -> str:
    return "yes" if value else "no"


def _coordinate(value: float | None) -> str:
    return "" if value is None else repr(value)


def offer_row(offer: Offer) -> dict[str, str]:
    """One offer as CSV cells (expects the related rows prefetched, see export_queryset)."""
    row = {
        "title": offer.title,
        "description": offer.description,
        "organisation": offer.organisation.slug,
        "category": offer.category.slug,
        "target_groups": "|".join(sorted(t.slug for t in offer.target_groups.all())),
        "languages": "|".join(sorted(language.code for language in offer.languages.all())),
        "is_free": _yes_no(offer.is_free),
        "cost_note": offer.cost_note,
        "wheelchair_access": offer.wheelchair_access,
        "street": offer.street,
        "postcode": offer.postcode,
        "city": offer.city,
        "latitude": _coordinate(offer.latitude),
        "longitude": _coordinate(offer.longitude),
        "by_appointment": _yes_no(offer.by_appointment),
        "hours_note": offer.hours_note,
        "weekly_slots": format_weekly_slots(
            (s.weekday, s.opens, s.closes) for s in offer.weekly_slots.all()
        ),
        "dates": format_dates((d.date, d.starts, d.ends) for d in offer.dates.all()),
        "phone": offer.phone,
        "email": offer.email,
        "website": offer.website,
    }
    for text in offer.translations.all():
        if text.is_published:
            row[f"title_{text.language}"] = text.title
            row[f"description_{text.language}"] = text.description
    return row


def export_queryset(offers) -> Iterable[Offer]:
    return offers.select_related("organisation", "category").prefetch_related(
        "target_groups", "languages", "weekly_slots", "dates", "translations"
    )


def offers_export(offers, *, delimiter: str = ";", bom: bool = True) -> str:
    """The offers as CSV text: UTF-8 with a byte-order mark and semicolons by default, which
    German Excel opens directly; `delimiter=","` and `bom=False` for other tools."""
    rows = [offer_row(offer) for offer in export_queryset(offers)]
    extra = sorted(
        {name for row in rows for name in row if name not in COLUMNS},
        key=lambda name: (name.rsplit("_", 1)[1], not name.startswith("title_")),
    )
    output = io.StringIO(newline="")
    if bom:
        output.write("\ufeff")
    writer = csv.DictWriter(
        output,
        fieldnames=[*COLUMNS, *extra],
        delimiter=delimiter,
        restval="",
        lineterminator="\r\n",
    )
    writer.writeheader()
    writer.writerows(rows)
    return output.getvalue()


def exportable_offers(statuses: Iterable[str] | None = None):
    """The offers a full export contains: originals (no pending changes), not archived unless
    asked for."""
    offers = Offer.objects.originals()
    if statuses:
        return offers.filter(status__in=list(statuses))
    return offers.filter(~Q(status=Offer.Status.ARCHIVED))


def columns_help() -> str:
    """The columns, one a line, in English, for a command's --help."""
    with translation.override(None):
        return "\n".join(f"  {name:<18} {text}" for name, text in COLUMN_HELP)
