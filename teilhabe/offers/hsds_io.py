"""HSDS 3.0 exchange with the database: export the public offers, import services as offers
in review. The mapping itself is in hsds.py."""

import json
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.db import transaction
from django.db.models import QuerySet
from django.utils.text import slugify

from teilhabe.core.models import Language, Organisation, TargetGroup
from teilhabe.offers import hsds
from teilhabe.offers.hsds import HSDSImportError, ServiceData
from teilhabe.offers.models import Category, Offer, OneOffDate, WeeklySlot
from teilhabe.offers.queries import public_offers, with_details
from teilhabe.offers.services import offer_locate

# One file per object type, each a JSON array (see `manage.py export_hsds --help`).
EXPORT_FILES = (
    "services.json",
    "organizations.json",
    "service_at_locations.json",
    "locations.json",
    "taxonomies.json",
    "taxonomy_terms.json",
)


def exported_offers() -> QuerySet[Offer]:
    """Only public offers are exported; a stable order for paging."""
    return with_details(public_offers()).order_by("title", "pk")


def taxonomy_terms() -> list[dict]:
    return [hsds.category_term(c) for c in Category.objects.all()] + [
        hsds.target_group_term(g) for g in TargetGroup.objects.all()
    ]


def export_documents() -> dict[str, list[dict]]:
    offers = list(exported_offers())
    services = [hsds.service(offer) for offer in offers]
    organisations: dict[int, tuple[Organisation, list[dict]]] = {}
    for offer in offers:
        entry = organisations.setdefault(offer.organisation_id, (offer.organisation, []))
        entry[1].append({"id": str(offer.uuid)})
    at_locations = [s for s in (hsds.service_at_location(o) for o in offers) if s]
    return {
        "services.json": services,
        "organizations.json": [
            hsds.organization(org, services=ids)
            for org, ids in sorted(organisations.values(), key=lambda e: e[0].name)
        ],
        "service_at_locations.json": at_locations,
        "locations.json": [s["location"] for s in at_locations],
        "taxonomies.json": hsds.taxonomies(),
        "taxonomy_terms.json": taxonomy_terms(),
    }


def export_directory(directory: Path) -> dict[str, int]:
    """Write one JSON file per object type into `directory`; returns the counts."""
    directory.mkdir(parents=True, exist_ok=True)
    counts = {}
    for name, items in export_documents().items():
        (directory / name).write_text(
            json.dumps(items, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
        )
        counts[name] = len(items)
    return counts


@dataclass
class ImportReport:
    offers: list[Offer] = field(default_factory=list)
    organisations_created: list[Organisation] = field(default_factory=list)
    skipped: int = 0
    warnings: list[str] = field(default_factory=list)


def _uuid(value: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(value)
    except (ValueError, TypeError, AttributeError):
        return None


def _unique_slug(name: str) -> str:
    base = (slugify(name) or "organisation")[:70]
    slug, number = base, 2
    while Organisation.objects.filter(slug=slug).exists():
        slug, number = f"{base}-{number}", number + 1
    return slug


def _organisation(data: ServiceData, report: ImportReport) -> Organisation:
    ref = data.organization
    ref_uuid = _uuid(ref.id)
    if ref_uuid:
        found = Organisation.objects.filter(uuid=ref_uuid).first()
        if found:
            return found
    if ref.name:
        found = Organisation.objects.filter(name__iexact=ref.name).order_by("pk").first()
        if found:
            return found
    if not ref.name:
        raise HSDSImportError(
            f"{data.path}: the organization {ref.id or '(no id)'} is not known here and the "
            "input does not give its name"
        )
    website = ref.website if _valid(URLValidator(), ref.website) else ""
    org = Organisation(
        name=ref.name[:200],
        slug=_unique_slug(ref.name),
        description=ref.description,
        website=website[:200],
    )
    if ref_uuid:
        org.uuid = ref_uuid
    org.save()
    report.organisations_created.append(org)
    report.warnings.append(f"{data.path}: created the organisation {org.name!r}")
    return org


def _valid(validator, value: str) -> bool:
    if not value:
        return True
    try:
        validator(value)
    except ValidationError:
        return False
    return True


def _category_for(term: hsds.TermRef) -> Category | None:
    term_uuid = _uuid(term.id)
    if term_uuid:
        found = Category.objects.filter(uuid=term_uuid).first()
        if found:
            return found
    if term.code:
        found = Category.objects.filter(slug=term.code).first()
        if found:
            return found
    if term.name:
        wanted = term.name.casefold()
        for category in Category.objects.all():
            names = [category.name, category.slug, *category.names.values()]
            if wanted in (str(name).casefold() for name in names):
                return category
    return None


def _target_group_for(term: hsds.TermRef) -> TargetGroup | None:
    for group in TargetGroup.objects.all():
        if term.id == hsds.target_group_term_id(group.slug):
            return group
        if term.taxonomy_id == str(hsds.TARGET_GROUP_TAXONOMY_ID) and term.code == group.slug:
            return group
    return None


def _classify(data: ServiceData, default_category: Category | None):
    categories: list[Category] = []
    groups: list[TargetGroup] = []
    for term in data.terms:
        group = _target_group_for(term)
        if group is not None:
            groups.append(group)
            continue
        category = _category_for(term)
        if category is not None:
            categories.append(category)
        else:
            label = term.name or term.code or term.id
            data.warn(f"the taxonomy term {label!r} is not a category or target group here")
    distinct = list(dict.fromkeys(categories))
    if len(distinct) > 1:
        data.warn(f"several categories; kept the first ({distinct[0].slug})")
    if not distinct:
        if default_category is None:
            raise HSDSImportError(
                f"{data.path}: no taxonomy term matches a category here "
                f"({', '.join(Category.objects.values_list('slug', flat=True))}); "
                "name one with --default-category"
            )
        data.warn(f"no category in the input; filed under {default_category.slug}")
        distinct = [default_category]
    return distinct[0], list(dict.fromkeys(groups))


def _offer(data: ServiceData, report: ImportReport, default_category: Category | None) -> Offer:
    if not data.title:
        raise HSDSImportError(f"{data.path}.name: a service needs a name")
    organisation = _organisation(data, report)
    category, groups = _classify(data, default_category)
    email, website = data.email, data.website
    if not _valid(EmailValidator(), email):
        data.warn(f"e-mail {email!r} is not valid and was left out")
        email = ""
    if not _valid(URLValidator(), website):
        data.warn(f"url {website!r} is not valid and was left out")
        website = ""
    has_place = data.latitude is not None and data.longitude is not None
    offer = Offer(
        organisation=organisation,
        category=category,
        title=data.title,
        description=data.description,
        is_free=data.is_free,
        cost_note=data.cost_note,
        wheelchair_access=data.wheelchair_access,
        street=data.street,
        postcode=data.postcode,
        city=data.city,
        latitude=data.latitude,
        longitude=data.longitude,
        by_appointment=data.by_appointment,
        hours_note=data.hours_note,
        phone=data.phone,
        email=email,
        website=website,
        status=Offer.Status.REVIEW if has_place else Offer.Status.DRAFT,
    )
    offer_uuid = _uuid(data.id)
    if offer_uuid:
        offer.uuid = offer_uuid
    if not has_place:
        data.warn("no coordinates: imported as a draft; it needs a place before review")
    offer_locate(offer)
    if has_place and offer.district is None:
        data.warn("the place is outside the city's districts")
    try:
        offer.full_clean(exclude=["organisation", "category", "district"], validate_unique=False)
    except ValidationError as exc:
        problems = "; ".join(f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items())
        raise HSDSImportError(f"{data.path}: {problems}") from exc
    offer.save()
    offer.target_groups.set(groups)
    languages = []
    for code in dict.fromkeys(data.language_codes):
        language = Language.objects.filter(code=code).first()
        if language is None:
            data.warn(f"the language {code!r} is not known here and was left out")
        else:
            languages.append(language)
    offer.languages.set(languages)
    WeeklySlot.objects.bulk_create(
        WeeklySlot(offer=offer, weekday=day, opens=opens, closes=closes)
        for day, opens, closes in dict.fromkeys(data.weekly)
    )
    OneOffDate.objects.bulk_create(
        OneOffDate(offer=offer, date=day, starts=starts, ends=ends)
        for day, starts, ends in dict.fromkeys(data.dates)
    )
    return offer


@transaction.atomic
def import_services(
    items: list[ServiceData], *, default_category: Category | None = None
) -> ImportReport:
    """Store the services as offers in review (drafts where they have no place), all or
    nothing. Services that are inactive or already here are skipped with a warning."""
    report = ImportReport()
    seen: set[uuid.UUID] = set()
    for data in items:
        offer_uuid = _uuid(data.id)
        if data.status in ("inactive", "defunct"):
            data.warn(f"status {data.status}: skipped")
            report.skipped += 1
        elif offer_uuid and (offer_uuid in seen or Offer.objects.filter(uuid=offer_uuid).exists()):
            data.warn(f"the offer {offer_uuid} is already here: skipped")
            report.skipped += 1
        else:
            if data.status != "active":
                data.warn(f"status {data.status!r} is not kept; staff decide in the review")
            report.offers.append(_offer(data, report, default_category))
            if offer_uuid:
                seen.add(offer_uuid)
        report.warnings.extend(data.warnings)
    return report


def read_path(path: Path) -> tuple[object, list[dict]]:
    """The document to import and the organizations beside it. A directory is read as an
    export: services.json, with organizations.json used to resolve organization_id."""
    organizations: list[dict] = []
    if path.is_dir():
        organizations_file = path / "organizations.json"
        if organizations_file.exists():
            loaded = _load(organizations_file)
            if isinstance(loaded, list):
                organizations = [o for o in loaded if isinstance(o, dict)]
        path = path / "services.json"
    return _load(path), organizations


def _load(path: Path) -> object:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise HSDSImportError(f"{path}: cannot be read ({exc})") from exc
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise HSDSImportError(
            f"{path}: not JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})"
        ) from exc
