"""Offers as HSDS 3.0 objects (Human Services Data Specification, Open Referral) and back.

Pure mapping, no database access: the export side takes model objects with their relations
prefetched (queries.with_details) and returns plain dicts; the import side turns HSDS dicts
into `ServiceData` with a list of what could not be mapped. hsds_io.py reads and writes the
database; hsds_api.py serves the dicts.

How the offer map is expressed in HSDS:
- offer → service (id = Offer.uuid), organisation → organization (id = Organisation.uuid),
  the offer's place → location + service_at_location (+ address, accessibility);
- category → a taxonomy term (id = Category.uuid) of the taxonomy "Teilhabe categories",
  target groups → terms of "Teilhabe target groups", both linked through service attributes;
- languages spoken → languages; phone → phones; free of charge → a cost option of 0 EUR;
- weekly slots → schedules with freq WEEKLY, byday MO..SU, opens_at/closes_at (local time,
  Europe/Berlin); one-off dates → schedules with dtstart = valid_from = valid_to;
  the note on opening hours → a schedule with only a description;
- "by appointment" → application_process "Termin nach Vereinbarung";
- title and description are German. HSDS has no multilingual fields; translations are left
  out of HSDS (the JSON API /api/v1/ serves them).
Sub-objects get uuid5 ids derived from their parent's uuid, so every export gives the same ids.
"""

import json
import re
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, time
from functools import cache
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils.encoding import iri_to_uri, uri_to_iri
from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

HSDS_VERSION = "3.0"
SCHEMA_DIR = Path(settings.BASE_DIR) / "data" / "hsds-3.0"
SPECIFICATION_URL = "https://github.com/openreferral/specification/tree/3.0"

# Fixed namespace of this software's own HSDS ids (taxonomies, target group terms).
NAMESPACE = uuid.UUID("6f0c5a3e-51c2-4a57-9a1d-7c2f6e4b8d10")
CATEGORY_TAXONOMY_ID = uuid.uuid5(NAMESPACE, "taxonomy:categories")
TARGET_GROUP_TAXONOMY_ID = uuid.uuid5(NAMESPACE, "taxonomy:target-groups")
CATEGORY_TAXONOMY_NAME = "Teilhabe categories"
TARGET_GROUP_TAXONOMY_NAME = "Teilhabe target groups"

WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
FREE_OPTION = "kostenlos"
FREE_WORDS = {"kostenlos", "gratis", "free", "free of charge", "umsonst", "0", "0 €", "0 eur"}
BY_APPOINTMENT = "Termin nach Vereinbarung"
APPOINTMENT_WORDS = ("termin", "vereinbarung", "appointment")
COUNTRY = "DE"
WHEELCHAIR_LABELS = {
    "yes": "Rollstuhlgerecht",
    "partly": "Teilweise rollstuhlgerecht",
    "no": "Nicht rollstuhlgerecht",
}
WHEELCHAIR_DETAIL_PREFIX = "wheelchair:"


def sub_id(parent: uuid.UUID | str, kind: str) -> str:
    """The stable id of a sub-object (location, phone …) of the object with id `parent`."""
    return str(uuid.uuid5(uuid.UUID(str(parent)), kind))


def target_group_term_id(slug: str) -> str:
    return str(uuid.uuid5(NAMESPACE, f"target-group:{slug}"))


def state_province() -> str:
    return getattr(settings, "HSDS_STATE_PROVINCE", "Nordrhein-Westfalen")


# --- Validation against the official schemas -------------------------------------------------


@cache
def registry() -> Registry:
    """Every schema file of data/hsds-3.0 under its file name (the files refer to each other
    as "phone.json")."""
    resources = []
    for path in sorted(SCHEMA_DIR.glob("*.json")):
        if path.name == "openapi.json":
            continue
        contents = json.loads(path.read_text(encoding="utf-8"))
        resources.append((path.name, Resource.from_contents(contents, DRAFT202012)))
    return Registry().with_resources(resources)


@cache
def validator(name: str) -> Draft202012Validator:
    """A validator for one object type: validator("service") checks against service.json."""
    return Draft202012Validator(
        {"$ref": f"{name}.json"}, registry=registry(), format_checker=FormatChecker()
    )


@cache
def page_schema() -> dict:
    """The page envelope (total_items, page_number …) of the HSDS openapi.json."""
    openapi = json.loads((SCHEMA_DIR / "openapi.json").read_text(encoding="utf-8"))
    return openapi["components"]["schemas"]["Page"]


def validation_errors(obj: Any, name: str, path: str = "$") -> list[str]:
    """Every way `obj` breaks the schema of `name`, as "JSON path: reason"."""
    errors = sorted(validator(name).iter_errors(obj), key=lambda e: list(e.absolute_path))
    return [f"{path}{error.json_path[1:]}: {error.message}" for error in errors]


# --- Export: model objects → HSDS dicts ------------------------------------------------------


def _uri(value: str) -> str | None:
    """A URL as an RFC 3986 URI (non-ASCII characters percent-encoded), or None if empty."""
    return iri_to_uri(value) if value else None


def _compact(obj: dict) -> dict:
    """Leave out empty optional values (None, "", empty lists) so consumers see no noise."""
    return {key: value for key, value in obj.items() if value not in (None, "", [])}


def category_taxonomy() -> dict:
    return {
        "id": str(CATEGORY_TAXONOMY_ID),
        "name": CATEGORY_TAXONOMY_NAME,
        "description": "The categories of the offer map (Angebotskarte).",
        "version": "1",
    }


def target_group_taxonomy() -> dict:
    return {
        "id": str(TARGET_GROUP_TAXONOMY_ID),
        "name": TARGET_GROUP_TAXONOMY_NAME,
        "description": "Who an offer of the offer map is meant for.",
        "version": "1",
    }


def taxonomies() -> list[dict]:
    return [category_taxonomy(), target_group_taxonomy()]


def category_term(category) -> dict:
    english = category.names.get("en", "")
    return _compact(
        {
            "id": str(category.uuid),
            "code": category.slug,
            "name": category.name,
            "description": english or category.name,
            "taxonomy": CATEGORY_TAXONOMY_NAME,
            "taxonomy_id": str(CATEGORY_TAXONOMY_ID),
            "language": "de",
        }
    )


def target_group_term(group) -> dict:
    return {
        "id": target_group_term_id(group.slug),
        "code": group.slug,
        "name": group.name,
        "description": group.name,
        "taxonomy": TARGET_GROUP_TAXONOMY_NAME,
        "taxonomy_id": str(TARGET_GROUP_TAXONOMY_ID),
        "language": "en",
    }


def organization(org, services: list[dict] | None = None) -> dict:
    """The organisation's public face. E-mail, phone and contact person are left out: they
    may be a person's; each offer carries its own public contact."""
    result = _compact(
        {
            "id": str(org.uuid),
            "name": org.name,
            "description": org.description,
            "website": _uri(org.website),
        }
    )
    result.setdefault("description", "")
    if services is not None:
        result["services"] = services
    return result


def address(offer) -> dict | None:
    if not (offer.street or offer.postcode or offer.city):
        return None
    location_id = sub_id(offer.uuid, "location")
    return {
        "id": sub_id(location_id, "address"),
        "location_id": location_id,
        "address_1": offer.street,
        "city": offer.city,
        "postal_code": offer.postcode,
        "state_province": state_province(),
        "country": COUNTRY,
        "address_type": "physical",
    }


def location(offer) -> dict | None:
    if offer.latitude is None or offer.longitude is None:
        return None
    location_id = sub_id(offer.uuid, "location")
    place = address(offer)
    accessibility = []
    if offer.wheelchair_access in WHEELCHAIR_LABELS:
        accessibility.append(
            {
                "id": sub_id(location_id, "accessibility"),
                "location_id": location_id,
                "description": WHEELCHAIR_LABELS[offer.wheelchair_access],
                "details": WHEELCHAIR_DETAIL_PREFIX + offer.wheelchair_access,
            }
        )
    return _compact(
        {
            "id": location_id,
            "location_type": "physical",
            "organization_id": str(offer.organisation.uuid),
            "name": offer.title,
            "latitude": round(offer.latitude, 6),
            "longitude": round(offer.longitude, 6),
            "addresses": [place] if place else [],
            "accessibility": accessibility,
        }
    )


def service_at_location(offer, *, service: dict | None = None) -> dict | None:
    place = location(offer)
    if place is None:
        return None
    result = {
        "id": sub_id(offer.uuid, "service_at_location"),
        "service_id": str(offer.uuid),
        "location_id": place["id"],
        "location": place,
    }
    if service is not None:
        result["service"] = service
    return result


def _hhmm(value: time | None) -> str | None:
    return value.strftime("%H:%M") if value else None


def schedules(offer) -> list[dict]:
    service_id = str(offer.uuid)
    result = []
    for slot in offer.weekly_slots.all():
        key = f"schedule:weekly:{slot.weekday}:{slot.opens:%H%M}:{slot.closes:%H%M}"
        result.append(
            {
                "id": sub_id(offer.uuid, key),
                "service_id": service_id,
                "freq": "WEEKLY",
                "wkst": "MO",
                "interval": 1,
                "byday": WEEKDAYS[slot.weekday],
                "opens_at": _hhmm(slot.opens),
                "closes_at": _hhmm(slot.closes),
            }
        )
    for one in offer.dates.all():
        day = one.date.isoformat()
        key = f"schedule:date:{day}:{_hhmm(one.starts)}:{_hhmm(one.ends)}"
        result.append(
            _compact(
                {
                    "id": sub_id(offer.uuid, key),
                    "service_id": service_id,
                    "dtstart": day,
                    "valid_from": day,
                    "valid_to": day,
                    "count": 1,
                    "opens_at": _hhmm(one.starts),
                    "closes_at": _hhmm(one.ends),
                }
            )
        )
    if offer.hours_note:
        result.append(
            {
                "id": sub_id(offer.uuid, "schedule:note"),
                "service_id": service_id,
                "description": offer.hours_note,
            }
        )
    return result


def attributes(offer) -> list[dict]:
    service_id = str(offer.uuid)
    result = [
        {
            "id": sub_id(offer.uuid, "attribute:category"),
            "link_id": service_id,
            "link_entity": "service",
            "link_type": "category",
            "taxonomy_term_id": str(offer.category.uuid),
            "taxonomy_term": category_term(offer.category),
        }
    ]
    for group in offer.target_groups.all():
        term = target_group_term(group)
        result.append(
            {
                "id": sub_id(offer.uuid, f"attribute:target-group:{group.slug}"),
                "link_id": service_id,
                "link_entity": "service",
                "link_type": "target_group",
                "taxonomy_term_id": term["id"],
                "taxonomy_term": term,
            }
        )
    return result


# Fields that hold lists or objects; a "one-to-one" service (HSDS list pages) leaves them out.
NESTED_SERVICE_FIELDS = (
    "phones",
    "schedules",
    "service_areas",
    "service_at_locations",
    "languages",
    "organization",
    "funding",
    "cost_options",
    "program",
    "required_documents",
    "contacts",
    "attributes",
    "metadata",
)


def service(offer, *, full: bool = True, with_locations: bool = True) -> dict:
    """One offer as an HSDS service; `full=False` gives only the one-to-one fields."""
    service_id = str(offer.uuid)
    result: dict[str, Any] = _compact(
        {
            "id": service_id,
            "organization_id": str(offer.organisation.uuid),
            "name": offer.title,
            "description": offer.description,
            "url": _uri(offer.website),
            "email": offer.email,
            "status": "active",
            "fees_description": offer.cost_note,
            "application_process": BY_APPOINTMENT if offer.by_appointment else "",
            "assured_date": offer.last_confirmed_at.date().isoformat()
            if offer.last_confirmed_at
            else None,
            "last_modified": offer.updated_at.isoformat() if offer.updated_at else None,
        }
    )
    if not full:
        return result
    result["organization"] = organization(offer.organisation)
    result["phones"] = (
        [{"id": sub_id(offer.uuid, "phone"), "service_id": service_id, "number": offer.phone}]
        if offer.phone
        else []
    )
    result["schedules"] = schedules(offer)
    result["languages"] = [
        {
            "id": sub_id(offer.uuid, f"language:{language.code}"),
            "service_id": service_id,
            "name": language.name_en,
            "code": language.code,
        }
        for language in offer.languages.all()
    ]
    result["cost_options"] = (
        [
            {
                "id": sub_id(offer.uuid, "cost_option:free"),
                "service_id": service_id,
                "option": FREE_OPTION,
                "amount": 0,
                "currency": "EUR",
            }
        ]
        if offer.is_free
        else []
    )
    result["attributes"] = attributes(offer)
    if with_locations:
        at_location = service_at_location(offer)
        result["service_at_locations"] = [at_location] if at_location else []
    return result


# --- Import: HSDS dicts → plain data ----------------------------------------------------------


class HSDSImportError(ValueError):
    """The input cannot be imported; the message names the JSON path and the reason."""


@dataclass
class TermRef:
    """A taxonomy term a service is linked to, as far as the input tells it."""

    id: str = ""
    code: str = ""
    name: str = ""
    taxonomy_id: str = ""
    taxonomy: str = ""


@dataclass
class OrganizationData:
    id: str = ""
    name: str = ""
    description: str = ""
    website: str = ""


@dataclass
class ServiceData:
    path: str
    id: str = ""
    title: str = ""
    description: str = ""
    status: str = "active"
    website: str = ""
    email: str = ""
    phone: str = ""
    is_free: bool = False
    cost_note: str = ""
    by_appointment: bool = False
    hours_note: str = ""
    organization: OrganizationData = field(default_factory=OrganizationData)
    terms: list[TermRef] = field(default_factory=list)
    language_codes: list[str] = field(default_factory=list)
    weekly: list[tuple[int, time, time]] = field(default_factory=list)
    dates: list[tuple[date, time | None, time | None]] = field(default_factory=list)
    latitude: float | None = None
    longitude: float | None = None
    street: str = ""
    postcode: str = ""
    city: str = ""
    wheelchair_access: str = "unknown"
    warnings: list[str] = field(default_factory=list)

    def warn(self, message: str) -> None:
        self.warnings.append(f"{self.path}: {message}")


_TIME = re.compile(r"^(\d{1,2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?(Z|[+-]\d{2}:?\d{2})?$")


def parse_time(value: str) -> tuple[time, bool]:
    """'10:00', '10:00:00', '10:00+01:00' → (time, had_offset). ValueError if not a time."""
    match = _TIME.match(value.strip())
    if not match:
        raise ValueError(value)
    hour, minute, second = int(match[1]), int(match[2]), int(match[3] or 0)
    return time(hour, minute, second), bool(match[4])


def _text(obj: dict, key: str) -> str:
    value = obj.get(key)
    return value.strip() if isinstance(value, str) else ""


def _limited(data: ServiceData, label: str, value: str, limit: int) -> str:
    if len(value) > limit:
        data.warn(f"{label} is longer than {limit} characters and was shortened")
        return value[:limit]
    return value


def documents(data: Any) -> tuple[list[tuple[str, dict]], dict[str, dict]]:
    """The services in any accepted shape, each with its JSON path, and the organizations
    found alongside (by id). Accepted: a service, a list of services, a page
    ({"contents": [...]}), an organization with "services", or a list of those."""
    services: list[tuple[str, dict]] = []
    organizations: dict[str, dict] = {}

    def visit(obj: Any, path: str) -> None:
        if isinstance(obj, list):
            for index, item in enumerate(obj):
                visit(item, f"{path}[{index}]")
        elif not isinstance(obj, dict):
            raise HSDSImportError(f"{path}: expected an object or a list, found {_kind(obj)}")
        elif isinstance(obj.get("contents"), list):
            visit(obj["contents"], f"{path}.contents")
        elif "services" in obj and "status" not in obj:
            _check(obj, "organization", path)
            if obj.get("id"):
                organizations[str(obj["id"])] = obj
            nested = obj.get("services")
            if not isinstance(nested, list):
                raise HSDSImportError(f"{path}.services: expected a list of services")
            for index, item in enumerate(nested):
                if isinstance(item, dict) and not item.get("organization") and obj.get("id"):
                    item = {"organization_id": obj["id"], **item, "organization": obj}
                visit(item, f"{path}.services[{index}]")
        else:
            _check(obj, "service", path)
            services.append((path, obj))

    visit(data, "$")
    return services, organizations


def _kind(obj: Any) -> str:
    return type(obj).__name__.replace("str", "a string").replace("NoneType", "null")


def _check(obj: dict, name: str, path: str) -> None:
    if name == "organization":
        obj = {key: value for key, value in obj.items() if key != "services"}
    errors = validation_errors(obj, name, path)
    if errors:
        raise HSDSImportError(errors[0])


def service_data(obj: dict, path: str, organizations: dict[str, dict] | None = None) -> ServiceData:
    """One (schema-valid) HSDS service → ServiceData, with warnings for what was left out."""
    data = ServiceData(path=path, id=_text(obj, "id"))
    data.title = _limited(data, "name", _text(obj, "name"), 200)
    data.description = _text(obj, "description")
    data.status = _text(obj, "status") or "active"
    data.website = _limited(data, "url", uri_to_iri(_text(obj, "url")), 200)
    data.email = _limited(data, "email", _text(obj, "email"), 254)
    _organization(data, obj, organizations or {})
    _phones(data, obj)
    _costs(data, obj)
    process = _text(obj, "application_process").lower()
    data.by_appointment = any(word in process for word in APPOINTMENT_WORDS)
    _terms(data, obj)
    _languages(data, obj)
    _place(data, obj)
    _schedules(data, obj)
    for key in ("service_areas", "funding", "required_documents", "contacts", "program"):
        if obj.get(key):
            data.warn(f"{key} cannot be stored and was left out")
    return data


def _organization(data: ServiceData, obj: dict, organizations: dict[str, dict]) -> None:
    org_id = _text(obj, "organization_id")
    nested = obj.get("organization") if isinstance(obj.get("organization"), dict) else None
    source = nested or organizations.get(org_id) or {}
    data.organization = OrganizationData(
        id=_text(source, "id") or org_id,
        name=_text(source, "name"),
        description=_text(source, "description"),
        website=uri_to_iri(_text(source, "website")),
    )


def _phones(data: ServiceData, obj: dict) -> None:
    phones = [p for p in obj.get("phones") or [] if _text(p, "number")]
    if phones:
        data.phone = _limited(data, "phone number", _text(phones[0], "number"), 50)
    if len(phones) > 1:
        data.warn("only the first of several phone numbers was kept")


def _costs(data: ServiceData, obj: dict) -> None:
    fees = _text(obj, "fees_description")
    options = obj.get("cost_options") or []
    amounts = [o.get("amount") for o in options if isinstance(o.get("amount"), int | float)]
    free_option = any(amount == 0 for amount in amounts) or any(
        _text(o, "option").lower() in FREE_WORDS for o in options
    )
    if free_option or fees.lower() in FREE_WORDS:
        data.is_free = True
    elif not options and not fees:
        data.warn("no cost information: imported as not free of charge")
    if fees.lower() not in FREE_WORDS:
        data.cost_note = _limited(data, "fees_description", fees, 200)
    paid = [o for o in options if o.get("amount") not in (0, None)]
    if paid and not data.cost_note:
        note = ", ".join(
            f"{_text(o, 'option') or ''} {o['amount']} {_text(o, 'currency')}".strip() for o in paid
        )
        data.cost_note = _limited(data, "cost_options", note, 200)


def _terms(data: ServiceData, obj: dict) -> None:
    for attribute in obj.get("attributes") or []:
        term = attribute.get("taxonomy_term") if isinstance(attribute, dict) else None
        term = term if isinstance(term, dict) else {}
        ref = TermRef(
            id=_text(attribute, "taxonomy_term_id") or _text(term, "id"),
            code=_text(term, "code"),
            name=_text(term, "name"),
            taxonomy_id=_text(term, "taxonomy_id"),
            taxonomy=_text(term, "taxonomy"),
        )
        if ref.id or ref.code or ref.name:
            data.terms.append(ref)


def _languages(data: ServiceData, obj: dict) -> None:
    for index, language in enumerate(obj.get("languages") or []):
        code = _text(language, "code").lower()
        if code:
            data.language_codes.append(code)
        else:
            data.warn(f"languages[{index}] has no code and was left out")


def _place(data: ServiceData, obj: dict) -> None:
    places = [
        at["location"]
        for at in obj.get("service_at_locations") or []
        if isinstance(at.get("location"), dict)
    ]
    if not places:
        return
    if len(places) > 1:
        data.warn("only the first of several locations was kept (an offer has one place)")
    place = places[0]
    lat, lon = place.get("latitude"), place.get("longitude")
    if isinstance(lat, int | float) and isinstance(lon, int | float):
        if -90 <= lat <= 90 and -180 <= lon <= 180:
            data.latitude, data.longitude = float(lat), float(lon)
        else:
            data.warn("location coordinates are out of range and were left out")
    addresses = [a for a in place.get("addresses") or [] if a.get("address_type") != "postal"]
    addresses = addresses or place.get("addresses") or []
    if addresses:
        first = addresses[0]
        data.street = _limited(data, "address_1", _text(first, "address_1"), 200)
        data.postcode = _limited(data, "postal_code", _text(first, "postal_code"), 10)
        data.city = _limited(data, "city", _text(first, "city"), 100)
    for item in place.get("accessibility") or []:
        details = _text(item, "details")
        if details.startswith(WHEELCHAIR_DETAIL_PREFIX):
            value = details.removeprefix(WHEELCHAIR_DETAIL_PREFIX)
            if value in WHEELCHAIR_LABELS:
                data.wheelchair_access = value
                continue
        data.warn("an accessibility entry could not be mapped to wheelchair access")


def _schedule_sources(obj: dict) -> list[tuple[str, dict]]:
    found = [(f"schedules[{i}]", s) for i, s in enumerate(obj.get("schedules") or [])]
    if found:
        return found
    for i, at in enumerate(obj.get("service_at_locations") or []):
        for j, s in enumerate(at.get("schedules") or []):
            found.append((f"service_at_locations[{i}].schedules[{j}]", s))
        place = at.get("location") if isinstance(at.get("location"), dict) else {}
        for j, s in enumerate(place.get("schedules") or []):
            found.append((f"service_at_locations[{i}].location.schedules[{j}]", s))
    return found


def _schedules(data: ServiceData, obj: dict) -> None:
    notes: list[str] = []
    for where, schedule in _schedule_sources(obj):
        description = _text(schedule, "description")
        try:
            mapped = _schedule(data, where, schedule)
        except ValueError as exc:
            data.warn(f"{where}: {exc}")
            mapped = False
        if not mapped and description:
            notes.append(description)
        elif not mapped:
            data.warn(f"{where} could not be mapped to opening hours and was left out")
    if notes:
        data.hours_note = _limited(data, "schedule descriptions", " ".join(notes), 300)


def _times(data: ServiceData, where: str, schedule: dict) -> tuple[time | None, time | None]:
    result: list[time | None] = []
    for key in ("opens_at", "closes_at"):
        raw = _text(schedule, key)
        if not raw:
            result.append(None)
            continue
        try:
            value, had_offset = parse_time(raw)
        except ValueError:
            raise ValueError(f"{key} {raw!r} is not a time (HH:MM)") from None
        if had_offset:
            data.warn(f"{where}.{key}: the UTC offset was dropped; read as local time")
        result.append(value)
    return result[0], result[1]


def _schedule(data: ServiceData, where: str, schedule: dict) -> bool:
    """Add the schedule as weekly slots or a date; False if it is not one of those."""
    freq = _text(schedule, "freq")
    opens, closes = _times(data, where, schedule)
    if freq == "WEEKLY":
        interval = schedule.get("interval")
        if interval not in (None, 1):
            data.warn(f"{where}: every {interval} weeks cannot be stored; read as every week")
        if opens is None or closes is None or opens >= closes:
            raise ValueError("a weekly schedule needs opens_at before closes_at")
        days = [day.strip().upper() for day in _text(schedule, "byday").split(",") if day.strip()]
        if not days:
            raise ValueError("a weekly schedule needs byday (MO..SU)")
        for day in days:
            if day in WEEKDAYS:
                data.weekly.append((WEEKDAYS.index(day), opens, closes))
            else:
                data.warn(f"{where}: byday {day!r} is not a weekday and was left out")
        return True
    if freq:
        data.warn(f"{where}: freq {freq} cannot be stored")
        return False
    start = _text(schedule, "dtstart") or _text(schedule, "valid_from")
    if not start:
        return False
    try:
        day = date.fromisoformat(start[:10])
        until = (
            date.fromisoformat(_text(schedule, "valid_to")[:10])
            if schedule.get("valid_to")
            else day
        )
    except ValueError:
        raise ValueError(f"{start!r} is not a date (YYYY-MM-DD)") from None
    if until != day:
        data.warn(f"{where}: a date range is stored as its first day only")
    if opens is not None and closes is not None and opens >= closes:
        raise ValueError("opens_at must be before closes_at")
    data.dates.append((day, opens, closes))
    return True


def parse(data: Any, organizations: Iterable[dict] = ()) -> list[ServiceData]:
    """All services of an HSDS document, checked against the schemas. Raises HSDSImportError
    naming the JSON path of the first problem."""
    found, orgs = documents(data)
    by_id = {str(o.get("id")): o for o in organizations if isinstance(o, dict)}
    by_id.update(orgs)
    return [service_data(obj, path, by_id) for path, obj in found]
