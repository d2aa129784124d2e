"""The offer map's open-data JSON API (/api/v1/): public offers, filtered like the map.

Read-only and public. Bad parameters are answered with 400 {"detail": "…"} (or ninja's 422
for values of the wrong type), never with 500.
"""

from datetime import date, datetime
from math import ceil
from uuid import UUID

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import override
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from teilhabe.offers import geojson
from teilhabe.offers.models import Offer
from teilhabe.offers.queries import (
    FilterError,
    OfferFilter,
    parse_bbox,
    public_offers,
    with_details,
)

router = Router(tags=["offers"])

WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
MAX_ID = 2**63 - 1


class ErrorOut(Schema):
    detail: str


class OfferQuery(Schema):
    """The map's public filters; every list parameter may be repeated (any of them matches)."""

    category: list[str] = Field(default_factory=list, description="category slug")
    district: list[str] = Field(default_factory=list, description="district slug")
    language: list[str] = Field(
        default_factory=list, description="code of a language spoken at the offer (ISO 639)"
    )
    target_group: list[str] = Field(default_factory=list, description="target group slug")
    open_now: bool = Field(False, description="only offers open at this moment")
    free: bool = Field(False, description="only offers free of charge")
    q: str = Field("", max_length=200, description="text in title, description, organisation")
    bbox: str | None = Field(
        None,
        description="minLon,minLat,maxLon,maxLat (WGS84)",
        examples=["7.30,51.41,7.64,51.60"],
    )
    lang: str = Field(
        "de", max_length=10, description="language of title and description (falls back to de)"
    )


class PageQuery(Schema):
    page: int = Field(1, ge=1, le=100_000)
    per_page: int = Field(20, ge=1, le=100)


class LangQuery(Schema):
    lang: str = Field("de", max_length=10, description="language of title and description")


class CategoryOut(Schema):
    slug: str
    name: str
    colour: str


class DistrictOut(Schema):
    slug: str
    name: str


class OrganisationOut(Schema):
    id: UUID
    name: str


class AddressOut(Schema):
    street: str
    postcode: str
    city: str


class WeeklySlotOut(Schema):
    weekday: int = Field(description="0 = Monday … 6 = Sunday")
    day: str = Field(description="MO … SU")
    opens: str = Field(description="HH:MM, local time (Europe/Berlin)")
    closes: str


class DateOut(Schema):
    date: date
    starts: str | None
    ends: str | None


class OfferOut(Schema):
    id: int
    uuid: UUID
    url: str = Field(description="the offer's public page")
    lang: str
    title: str
    description: str
    fell_back_to_german: bool = Field(description="no translation into lang: German text")
    category: CategoryOut
    district: DistrictOut | None
    organisation: OrganisationOut
    latitude: float | None
    longitude: float | None
    address: AddressOut
    languages: list[str]
    target_groups: list[str]
    is_free: bool
    cost_note: str
    wheelchair_access: str
    by_appointment: bool
    hours_note: str
    opening_hours: list[WeeklySlotOut]
    dates: list[DateOut]
    phone: str
    email: str
    website: str
    last_confirmed_at: datetime | None
    updated_at: datetime


class OfferPage(Schema):
    count: int
    page: int
    per_page: int
    total_pages: int
    items: list[OfferOut]


def interface_language(value: str) -> str:
    codes = [code for code, _name in settings.LANGUAGES]
    if value not in codes:
        raise HttpError(400, f"lang must be one of {', '.join(codes)}")
    return value


def offer_filter(query: OfferQuery) -> OfferFilter:
    try:
        bbox = parse_bbox(query.bbox) if query.bbox not in (None, "") else None
    except FilterError as exc:
        raise HttpError(400, str(exc)) from exc
    return OfferFilter(
        categories=tuple(query.category),
        districts=tuple(query.district),
        languages=tuple(query.language),
        target_groups=tuple(query.target_group),
        open_now=query.open_now,
        free_only=query.free,
        text=query.q,
        bbox=bbox,
    )


def detail_url(lang: str) -> str:
    """The public page of offer {} in `lang`, absolute."""
    with override(lang):
        path = reverse("offers:detail", kwargs={"pk": 0}).replace("/0/", "/{}/")
    return settings.SITE_URL + path


def _hhmm(value) -> str | None:
    return value.strftime("%H:%M") if value else None


def offer_out(offer: Offer, lang: str, url: str) -> dict:
    title, description, fell_back = offer.text_in(lang)
    category = offer.category
    return {
        "id": offer.pk,
        "uuid": offer.uuid,
        "url": url.format(offer.pk),
        "lang": lang,
        "title": title,
        "description": description,
        "fell_back_to_german": fell_back,
        "category": {
            "slug": category.slug,
            "name": category.label(lang),
            "colour": category.colour,
        },
        "district": {"slug": offer.district.slug, "name": offer.district.name}
        if offer.district
        else None,
        "organisation": {"id": offer.organisation.uuid, "name": offer.organisation.name},
        "latitude": offer.latitude,
        "longitude": offer.longitude,
        "address": {"street": offer.street, "postcode": offer.postcode, "city": offer.city},
        "languages": [language.code for language in offer.languages.all()],
        "target_groups": [group.slug for group in offer.target_groups.all()],
        "is_free": offer.is_free,
        "cost_note": offer.cost_note,
        "wheelchair_access": offer.wheelchair_access,
        "by_appointment": offer.by_appointment,
        "hours_note": offer.hours_note,
        "opening_hours": [
            {
                "weekday": slot.weekday,
                "day": WEEKDAYS[slot.weekday],
                "opens": _hhmm(slot.opens),
                "closes": _hhmm(slot.closes),
            }
            for slot in offer.weekly_slots.all()
        ],
        "dates": [
            {"date": one.date, "starts": _hhmm(one.starts), "ends": _hhmm(one.ends)}
            for one in offer.dates.all()
        ],
        "phone": offer.phone,
        "email": offer.email,
        "website": offer.website,
        "last_confirmed_at": offer.last_confirmed_at,
        "updated_at": offer.updated_at,
    }


@router.get(
    "/offers",
    response={200: OfferPage, 400: ErrorOut},
    summary="Public offers, filtered and paginated",
    url_name="offers",
)
def offers(request: HttpRequest, filters: Query[OfferQuery], paging: Query[PageQuery]):
    lang = interface_language(filters.lang)
    found = public_offers(offer_filter(filters)).order_by("title", "pk")
    count = found.count()
    start = (paging.page - 1) * paging.per_page
    rows = with_details(found)[start : start + paging.per_page] if start < count else []
    url = detail_url(lang)
    return {
        "count": count,
        "page": paging.page,
        "per_page": paging.per_page,
        "total_pages": ceil(count / paging.per_page),
        "items": [offer_out(offer, lang, url) for offer in rows],
    }


GEOJSON_SCHEMA = {
    "type": "object",
    "required": ["type", "features"],
    "properties": {
        "type": {"type": "string", "enum": ["FeatureCollection"]},
        "features": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["type", "geometry", "properties"],
                "properties": {
                    "type": {"type": "string", "enum": ["Feature"]},
                    "id": {"type": "integer"},
                    "geometry": {"type": "object"},
                    "properties": {
                        "type": "object",
                        "required": ["id", "title", "category", "district", "url"],
                    },
                },
            },
        },
    },
}


@router.get(
    "/offers.geojson",
    response={400: ErrorOut},
    summary="Public offers as a GeoJSON FeatureCollection (same filters, not paginated)",
    url_name="offers_geojson",
    openapi_extra={
        "responses": {
            200: {
                "description": "GeoJSON FeatureCollection; url is the offer's public page",
                "content": {"application/geo+json": {"schema": GEOJSON_SCHEMA}},
            }
        }
    },
)
def offers_geojson(request: HttpRequest, filters: Query[OfferQuery]):
    lang = interface_language(filters.lang)
    collection = geojson.feature_collection(
        geojson.features(
            public_offers(offer_filter(filters)).order_by("title", "pk"),
            language=lang,
            base_url=settings.SITE_URL,
        )
    )
    return HttpResponse(geojson.dumps(collection), content_type="application/geo+json")


@router.get(
    "/offers/{id}",
    response={200: OfferOut, 400: ErrorOut, 404: ErrorOut},
    summary="One public offer",
    url_name="offer",
)
def offer(request: HttpRequest, id: int, query: Query[LangQuery]):
    lang = interface_language(query.lang)
    found = with_details(Offer.objects.public().filter(pk=id)).first() if 0 < id <= MAX_ID else None
    if found is None:
        raise HttpError(404, f"No public offer with id {id}")
    return offer_out(found, lang, detail_url(lang))
