"""The offer map's open-data JSON API (/api/v1/): public offers, filtered like the map.

Read-only and public. Bad parameters are answered with 400 {"detail": "…"} (or ninja's 422
for values of the wrong type), never with 500.
"""

from datetime import date, datetime
from uuid import UUID

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import reverse
from django.utils.translation import override
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError
from ninja.responses import NinjaJSONEncoder

from teilhabe.offers import geojson, matches
from teilhabe.offers.models import Offer
from teilhabe.offers.queries import (
    COUNT_LIMIT,
    FilterError,
    OfferFilter,
    offer_records,
    parse_bbox,
    public_offers,
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
    count: int = Field(
        description=f"matching offers; counted up to {COUNT_LIMIT:,}: if more match, count is "
        f"{COUNT_LIMIT:,} and count_capped is true"
    )
    count_capped: bool = Field(
        description=f"more than {COUNT_LIMIT:,} offers match; pages end there, so narrow the "
        "filter (bbox, category, q) to see the rest, or use offers.geojson or /api/hsds/"
    )
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


def offer_out(record: dict, lang: str, url: str) -> dict:
    """An offer as the API shows it, from a queries.offer_records() record."""
    names = record["category__names"] or {}
    district = record["district__slug"]
    return {
        "id": record["id"],
        "uuid": record["uuid"],
        "url": url.format(record["id"]),
        "lang": lang,
        "title": record["title"],
        "description": record["description"],
        "fell_back_to_german": record["fell_back"],
        "category": {
            "slug": record["category__slug"],
            "name": names.get(lang) or record["category__name"],
            "colour": record["category__colour"],
        },
        "district": {"slug": district, "name": record["district__name"]} if district else None,
        "organisation": {"id": record["organisation__uuid"], "name": record["organisation__name"]},
        "latitude": record["latitude"],
        "longitude": record["longitude"],
        "address": {
            "street": record["street"],
            "postcode": record["postcode"],
            "city": record["city"],
        },
        "languages": record["languages"],
        "target_groups": record["target_groups"],
        "is_free": record["is_free"],
        "cost_note": record["cost_note"],
        "wheelchair_access": record["wheelchair_access"],
        "by_appointment": record["by_appointment"],
        "hours_note": record["hours_note"],
        "opening_hours": [
            {"weekday": day, "day": WEEKDAYS[day], "opens": _hhmm(opens), "closes": _hhmm(closes)}
            for day, opens, closes in record["weekly_slots"]
        ],
        "dates": [
            {"date": day, "starts": _hhmm(starts), "ends": _hhmm(ends)}
            for day, starts, ends in record["dates"]
        ],
        "phone": record["phone"],
        "email": record["email"],
        "website": record["website"],
        "last_confirmed_at": record["last_confirmed_at"],
        "updated_at": record["updated_at"],
    }


@router.get(
    "/offers",
    response={200: OfferPage, 400: ErrorOut},
    summary="Public offers, filtered and paginated",
    description=(
        "Sorted by title. Counted and paged up to the first "
        f"{COUNT_LIMIT:,} matches (see count_capped); the text query q finds substrings "
        "of titles and descriptions in every language and of organisation names, ignoring case."
    ),
    url_name="offers",
)
def offers(request: HttpRequest, filters: Query[OfferQuery], paging: Query[PageQuery]):
    lang = interface_language(filters.lang)
    ids = matches.public_ids(offer_filter(filters))
    start = (paging.page - 1) * paging.per_page
    wanted = ids[start : start + paging.per_page]
    url = detail_url(lang)
    page = {
        "count": ids.count(),
        "count_capped": ids.capped,
        "page": paging.page,
        "per_page": paging.per_page,
        "total_pages": -(-ids.count() // paging.per_page),
        "items": [offer_out(record, lang, url) for record in matches.offer_records(wanted, lang)],
    }
    # offer_out() builds exactly the OfferPage shape (the tests validate answers against the
    # OpenAPI schema), so the answer is encoded as it is: validating twenty offers again
    # through pydantic would cost a fifth of the request.
    return JsonResponse(
        page, encoder=NinjaJSONEncoder, content_type="application/json; charset=utf-8"
    )


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
    public = Offer.objects.public().filter(pk=id) if 0 < id <= MAX_ID else Offer.objects.none()
    found = offer_records(list(public.values_list("pk", flat=True)), lang)
    if not found:
        raise HttpError(404, f"No public offer with id {id}")
    return offer_out(found[0], lang, detail_url(lang))
