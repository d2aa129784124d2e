"""The offer map as an HSDS 3.0 API (/api/hsds/), as described by the HSDS openapi.json:
services, organizations, service_at_locations, taxonomies and taxonomy terms, with HSDS
pagination. Only public offers (and the organisations that run them) are shown. Every object
validates against the official schemas in data/hsds-3.0 (tested)."""

import uuid
from datetime import datetime, time
from math import ceil
from typing import Annotated, Any

from django.conf import settings
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from ninja import Field, Path, Query, Router, Schema
from ninja.errors import HttpError
from pydantic import WithJsonSchema

from teilhabe.core.models import Organisation, TargetGroup
from teilhabe.offers import hsds
from teilhabe.offers.hsds_io import exported_offers, taxonomy_terms
from teilhabe.offers.models import Category, Offer
from teilhabe.offers.queries import text_search

router = Router(tags=["HSDS 3.0"])


# Path ids are declared as strings in format uuid (as HSDS has them); anything else is a 404.
UUIDPath = Annotated[str, WithJsonSchema({"type": "string", "format": "uuid"}), Path(...)]


class ErrorOut(Schema):
    detail: str


class Page(Schema):
    """The HSDS page envelope (components/schemas/Page of the HSDS openapi.json)."""

    total_items: int
    total_pages: int
    page_number: int
    size: int = Field(description="number of entities on this page")
    first_page: bool
    last_page: bool
    empty: bool
    contents: list[dict[str, Any]]


class ApiInfo(Schema):
    version: str
    profile: str
    openapi_url: str


class PageQuery(Schema):
    search: str = Field("", max_length=200, description="full text search")
    page: int = Field(1, ge=1, le=100_000, description="page number")
    per_page: int = Field(50, ge=1, le=100, description="results per page")


class ServiceQuery(PageQuery):
    taxonomy_term_id: str | None = Field(None, description="services with this term (UUID)")
    taxonomy_id: str | None = Field(None, description="services with a term of this taxonomy")
    organization_id: str | None = Field(None, description="services of this organization")
    modified_after: str | None = Field(
        None, description="modified on or after this date-time (ISO 8601)"
    )
    full: bool = Field(False, description="fully nested objects instead of one-to-one fields")


class OrganizationQuery(PageQuery):
    full_service: bool = Field(False, description="services fully nested")


class TermQuery(PageQuery):
    taxonomy_id: str | None = Field(None, description="terms of this taxonomy")


def page(items: list, total: int, query: PageQuery) -> dict:
    total_pages = ceil(total / query.per_page)
    return {
        "total_items": total,
        "total_pages": total_pages,
        "page_number": query.page,
        "size": len(items),
        "first_page": query.page == 1,
        "last_page": query.page >= total_pages,
        "empty": not items,
        "contents": items,
    }


def window(total: int, query: PageQuery) -> slice:
    start = (query.page - 1) * query.per_page
    return slice(start, start + query.per_page) if start < total else slice(0, 0)


def as_uuid(value: str, name: str) -> uuid.UUID:
    try:
        return uuid.UUID(value)
    except (ValueError, AttributeError):
        raise HttpError(400, f"{name} must be a UUID") from None


def path_uuid(value: str, what: str) -> uuid.UUID:
    try:
        return uuid.UUID(value)
    except ValueError:
        raise HttpError(404, f"No {what} with id {value!r} (ids are UUIDs)") from None


def moment(value: str) -> datetime:
    """An ISO 8601 date-time or date (midnight, local time) → aware datetime, or 400."""
    try:
        parsed = parse_datetime(value)
        if parsed is None:
            day = parse_date(value)
            parsed = datetime.combine(day, time()) if day else None
    except ValueError:
        parsed = None
    if parsed is None:
        raise HttpError(400, "modified_after must be an ISO 8601 date-time, e.g. 2025-01-31T12:00Z")
    if timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed)
    return parsed


def filtered_services(query: ServiceQuery) -> QuerySet[Offer]:
    offers = exported_offers()
    # The map's text search (through the text index): titles and descriptions in every
    # language and organisation names.
    offers = text_search(offers, query.search)
    if query.taxonomy_term_id:
        term = as_uuid(query.taxonomy_term_id, "taxonomy_term_id")
        groups = [
            g.pk
            for g in TargetGroup.objects.all()
            if hsds.target_group_term_id(g.slug) == str(term)
        ]
        offers = offers.filter(Q(category__uuid=term) | Q(target_groups__in=groups)).distinct()
    if query.taxonomy_id:
        taxonomy = as_uuid(query.taxonomy_id, "taxonomy_id")
        if taxonomy == hsds.TARGET_GROUP_TAXONOMY_ID:
            offers = offers.filter(target_groups__isnull=False).distinct()
        elif taxonomy != hsds.CATEGORY_TAXONOMY_ID:
            offers = offers.none()
    if query.organization_id:
        offers = offers.filter(organisation__uuid=as_uuid(query.organization_id, "organization_id"))
    if query.modified_after:
        offers = offers.filter(updated_at__gte=moment(query.modified_after))
    return offers


@router.get("/", response=ApiInfo, summary="About this API", url_name="hsds_root")
def api_info(request: HttpRequest):
    return {
        "version": hsds.HSDS_VERSION,
        "profile": hsds.SPECIFICATION_URL,
        "openapi_url": settings.SITE_URL + reverse("api:openapi-json"),
    }


@router.get(
    "/services",
    response={200: Page, 400: ErrorOut},
    summary="Services (offers), paginated; one-to-one fields unless full=true",
    url_name="hsds_services",
)
def services(request: HttpRequest, query: Query[ServiceQuery]):
    offers = filtered_services(query)
    total = offers.count()
    items = [hsds.service(o, full=query.full) for o in offers[window(total, query)]]
    return page(items, total, query)


@router.get(
    "/services/{id}",
    response={200: dict[str, Any], 404: ErrorOut},
    summary="One service, fully nested",
    url_name="hsds_service",
)
def service(request: HttpRequest, id: UUIDPath):
    found = exported_offers().filter(uuid=path_uuid(id, "service")).first()
    if found is None:
        raise HttpError(404, f"No public service with id {id}")
    return hsds.service(found)


def _organisations(search: str) -> QuerySet[Organisation]:
    public = Offer.objects.public().values("organisation_id")
    orgs = Organisation.objects.filter(pk__in=public).order_by("name", "pk")
    if search.strip():
        orgs = orgs.filter(name__icontains=search.strip())
    return orgs


def _organization(org: Organisation, full_service: bool) -> dict:
    offers = exported_offers().filter(organisation=org)
    if full_service:
        services = [hsds.service(o) for o in offers]
    else:
        services = [hsds.service(o, full=False) for o in offers]
    return hsds.organization(org, services=services)


@router.get(
    "/organizations",
    response={200: Page},
    summary="Organizations that run public offers, paginated",
    url_name="hsds_organizations",
)
def organizations(request: HttpRequest, query: Query[OrganizationQuery]):
    orgs = _organisations(query.search)
    total = orgs.count()
    items = [
        hsds.organization(org) if not query.full_service else _organization(org, full_service=True)
        for org in orgs[window(total, query)]
    ]
    return page(items, total, query)


@router.get(
    "/organizations/{id}",
    response={200: dict[str, Any], 404: ErrorOut},
    summary="One organization with its services",
    url_name="hsds_organization",
)
def organization(request: HttpRequest, id: UUIDPath, full_service: bool = False):
    org = _organisations("").filter(uuid=path_uuid(id, "organization")).first()
    if org is None:
        raise HttpError(404, f"No organization with public offers and id {id}")
    return _organization(org, full_service)


@router.get(
    "/service_at_locations",
    response={200: Page, 400: ErrorOut},
    summary="Services at their locations, paginated",
    url_name="hsds_service_at_locations",
)
def service_at_locations(request: HttpRequest, query: Query[ServiceQuery]):
    offers = filtered_services(query)
    total = offers.count()
    items = []
    for offer in offers[window(total, query)]:
        item = hsds.service_at_location(
            offer, service=hsds.service(offer, full=False) if query.full else None
        )
        if item is not None and not query.full:
            item = {k: v for k, v in item.items() if k != "location"}
        if item is not None:
            items.append(item)
    return page(items, total, query)


@router.get(
    "/service_at_locations/{id}",
    response={200: dict[str, Any], 404: ErrorOut},
    summary="One service at its location, with the location and the service",
    url_name="hsds_service_at_location",
)
def service_at_location(request: HttpRequest, id: UUIDPath):
    wanted = str(path_uuid(id, "service_at_location"))
    # The id is derived from the offer's uuid; public offers are few enough to look it up.
    for offer_uuid in exported_offers().values_list("uuid", flat=True):
        if hsds.sub_id(offer_uuid, "service_at_location") == wanted:
            found = exported_offers().get(uuid=offer_uuid)
            return hsds.service_at_location(
                found, service=hsds.service(found, with_locations=False)
            )
    raise HttpError(404, f"No service_at_location with id {id}")


def _search(items: list[dict], search: str) -> list[dict]:
    needle = search.strip().casefold()
    if not needle:
        return items
    return [
        item
        for item in items
        if any(needle in str(item.get(key, "")).casefold() for key in ("name", "description"))
    ]


@router.get(
    "/taxonomies",
    response={200: Page},
    summary="The taxonomies: categories and target groups",
    url_name="hsds_taxonomies",
)
def taxonomies(request: HttpRequest, query: Query[PageQuery]):
    items = _search(hsds.taxonomies(), query.search)
    return page(items[window(len(items), query)], len(items), query)


@router.get(
    "/taxonomies/{id}",
    response={200: dict[str, Any], 404: ErrorOut},
    summary="One taxonomy",
    url_name="hsds_taxonomy",
)
def taxonomy(request: HttpRequest, id: UUIDPath):
    wanted = str(path_uuid(id, "taxonomy"))
    for item in hsds.taxonomies():
        if item["id"] == wanted:
            return item
    raise HttpError(404, f"No taxonomy with id {id}")


@router.get(
    "/taxonomy_terms",
    response={200: Page, 400: ErrorOut},
    summary="Taxonomy terms: the categories and the target groups",
    url_name="hsds_taxonomy_terms",
)
def terms(request: HttpRequest, query: Query[TermQuery]):
    items = taxonomy_terms()
    if query.taxonomy_id:
        wanted = str(as_uuid(query.taxonomy_id, "taxonomy_id"))
        items = [item for item in items if item.get("taxonomy_id") == wanted]
    items = _search(items, query.search)
    return page(items[window(len(items), query)], len(items), query)


@router.get(
    "/taxonomy_terms/{id}",
    response={200: dict[str, Any], 404: ErrorOut},
    summary="One taxonomy term",
    url_name="hsds_taxonomy_term",
)
def term(request: HttpRequest, id: UUIDPath):
    wanted = path_uuid(id, "taxonomy_term")
    category = Category.objects.filter(uuid=wanted).first()
    if category is not None:
        return hsds.category_term(category)
    for group in TargetGroup.objects.all():
        if hsds.target_group_term_id(group.slug) == str(wanted):
            return hsds.target_group_term(group)
    raise HttpError(404, f"No taxonomy term with id {id}")
