"""Public pages of the offer map: the map (start page) with its list, the markers as GeoJSON, an
offer's page and its print view, and the embeddable map for partner websites.

Every page works without JavaScript (the list is rendered here, paginated); the map is drawn by
static/offers/map.js from the GeoJSON, which answers repeat and conditional requests from the
cache without a database query.
"""

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlencode

from csp.decorators import csp_exempt, csp_replace
from django.conf import settings
from django.core.paginator import Page, Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotModified
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import parse_etags
from django.utils.translation import get_language
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_safe

from teilhabe.core import roles
from teilhabe.core.models import District, Language, TargetGroup
from teilhabe.core.permissions import is_verified
from teilhabe.offers import answers, filters, geojson, matches, queries, services
from teilhabe.offers.cache import map_version
from teilhabe.offers.models import Category, Offer

PAGE_SIZE = 20
EMBED_PAGE_SIZE = 10
GEOJSON_MAX_AGE = 60  # seconds a browser or proxy may reuse the markers without asking


def _now() -> datetime:
    """The moment "open now" refers to (a function, so tests can fix it)."""
    return timezone.now()


def _language() -> str:
    return (get_language() or settings.LANGUAGE_CODE).split("-")[0]


# --- the map and its list -----------------------------------------------------------------


@dataclass(frozen=True)
class Choices:
    categories: list[Category]
    districts: list[District]
    languages: list[Language]
    target_groups: list[TargetGroup]

    @classmethod
    def load(cls) -> "Choices":
        return cls(
            list(Category.objects.all()),
            list(District.objects.only("name", "slug").order_by("name")),
            list(Language.objects.all()),
            list(TargetGroup.objects.all()),
        )

    @property
    def known(self) -> dict[str, list[str]]:
        return {
            "category": [c.slug for c in self.categories],
            "district": [d.slug for d in self.districts],
            "language": [lang.code for lang in self.languages],
            "target_group": [t.slug for t in self.target_groups],
        }


@dataclass(frozen=True)
class Card:
    """One offer in the list, with its text in the visitor's language."""

    offer: Offer
    title: str
    fell_back: bool
    category_label: str
    open_now: bool


def _cards(offers: list[Offer], language: str, now: datetime) -> list[Card]:
    cards = []
    for offer in offers:
        title, _description, fell_back = offer.text_in(language)
        cards.append(
            Card(
                offer,
                title,
                fell_back,
                offer.category.label(language),
                queries.is_open_at(offer, now),
            )
        )
    return cards


def _list_context(request: HttpRequest, *, page_size: int) -> dict:
    """The filter form's choices, the parsed filter and one page of the filtered list."""
    language = _language()
    now = _now()
    parsed = filters.parse(request.GET)
    choices = Choices.load()
    errors = [*parsed.errors, *filters.unknown_values(parsed.spec, choices.known)]
    spec = filters.without_unknown(parsed.spec, choices.known)
    # The list pages through ids, counted up to COUNT_LIMIT; a search's from memory.
    ids = matches.public_ids(spec, now)
    paginator = Paginator(ids, page_size)
    page: Page = paginator.get_page(request.GET.get("page"))
    query = filters.normalized_query(spec)
    return {
        "choices": choices,
        "spec": spec,
        "filter_active": not spec.is_empty,
        "filter_errors": errors,
        "page_obj": page,
        "count_capped": ids.capped,
        "count_limit": queries.COUNT_LIMIT,
        "cards": _cards(queries.offers_in_order(list(page.object_list)), language, now),
        "query": query,
        "page_query": f"{query}&" if query else "",
        "geojson_url": _geojson_url(query, language),
        "map_settings": _map_settings(),
    }


def _geojson_url(query: str, language: str) -> str:
    lang = urlencode({"lang": language})
    return f"{reverse('offers:geojson')}?{query + '&' if query else ''}{lang}"


def _map_settings() -> dict:
    return {
        "tile_url": settings.MAP_TILE_URL,
        "tile_attribution": settings.MAP_TILE_ATTRIBUTION,
        "centre_lat": settings.MAP_CENTRE[0],
        "centre_lon": settings.MAP_CENTRE[1],
        "zoom": settings.MAP_ZOOM,
    }


@require_safe
def offer_map(request: HttpRequest) -> HttpResponse:
    """The start page: filters, the map (with JavaScript) and the list of offers."""
    context = _list_context(request, page_size=PAGE_SIZE)
    services.views_count()
    return render(request, "offers/map.html", context)


@require_safe
@xframe_options_exempt
@csp_replace({"frame-ancestors": getattr(settings, "MAP_EMBED_FRAME_ANCESTORS", ["*"])})
def embed(request: HttpRequest) -> HttpResponse:
    """A compact map and list for partner websites (in an iframe): the same filters."""
    context = _list_context(request, page_size=EMBED_PAGE_SIZE)
    return render(request, "offers/embed.html", context)


# --- GeoJSON for the markers ----------------------------------------------------------------


@require_safe
@csp_exempt()  # a JSON document: a Content-Security-Policy only matters for pages
def offers_geojson(request: HttpRequest) -> HttpResponse:
    """The public offers matching the filters as GeoJSON, titles in the visitor's language.

    Without further parameters: every matching offer (the whole city). With `zoom` (and
    usually `bbox`): what the map draws at that zoom, markers or grid cells
    (geojson.map_layer). With `limit`: the first offers in list order and their count, for
    the list beside the map.

    The ETag is built from the map version, the language and the normalized filter, so a
    conditional request is answered with 304 without a database query; a repeat request is
    answered from the cache (answers.py). "Open now" also depends on the minute, which is then
    part of the ETag and limits how long the answer is shared.
    """
    try:
        parsed = filters.parse(request.GET, strict=True)
    except queries.FilterError as error:
        return _json_error(str(error))
    language = request.GET.get("lang") or _language()
    if language not in dict(settings.LANGUAGES):
        return _json_error(
            f"lang must be one of: {', '.join(code for code, _name in settings.LANGUAGES)}"
        )
    try:
        zoom = _whole_number(request.GET, "zoom", 0, geojson.MAX_ZOOM)
        limit = _whole_number(request.GET, "limit", 1, 100)
    except queries.FilterError as error:
        return _json_error(str(error))
    now = _now()
    minute = timezone.localtime(now).strftime("%Y%m%d%H%M") if parsed.spec.open_now else ""
    shape = f"zoom={zoom}|limit={limit}"
    fingerprint = f"{map_version()}|{language}|{parsed.normalized}|{minute}|{shape}"
    etag = f'"{hashlib.sha256(fingerprint.encode()).hexdigest()[:32]}"'
    if etag in parse_etags(request.headers.get("If-None-Match", "")):
        return _with_cache_headers(HttpResponseNotModified(), etag)
    offers = queries.public_offers(parsed.spec, now)
    if limit is not None:
        collection = geojson.list_collection(offers, limit=limit, language=language)
    elif zoom is not None:
        collection = geojson.map_layer(
            offers,
            zoom=zoom,
            bbox=parsed.spec.bbox,
            language=language,
            latitude=settings.MAP_CENTRE[0],
        )
    else:
        collection = geojson.feature_collection(
            geojson.features(offers.order_by("pk"), language=language)
        )
    response = HttpResponse(geojson.dumps(collection), content_type="application/geo+json")
    response["Content-Language"] = language
    # The same URL gets this answer again from answers.SharedAnswerMiddleware, without a query:
    # until the map changes, or, for "open now", until the minute is over.
    until = (now.timestamp() // 60 + 1) * 60 if minute else None
    return answers.share(_with_cache_headers(response, etag), until=until)


def _whole_number(params, name: str, lowest: int, highest: int) -> int | None:
    value = params.get(name, "").strip()
    if not value:
        return None
    if not (value.isascii() and value.isdigit()) or not lowest <= int(value) <= highest:
        raise queries.FilterError(f"{name} must be a whole number from {lowest} to {highest}")
    return int(value)


def _with_cache_headers(response: HttpResponse, etag: str) -> HttpResponse:
    response["ETag"] = etag
    response["Cache-Control"] = f"public, max-age={GEOJSON_MAX_AGE}"
    return response


def _json_error(message: str) -> HttpResponse:
    return HttpResponse(
        json.dumps({"error": message}, ensure_ascii=False),
        status=400,
        content_type="application/json",
    )


# --- an offer's page ------------------------------------------------------------------------


def _visible_offer(request: HttpRequest, pk: int) -> tuple[Offer, bool]:
    """The offer and whether it is a preview (not public, shown to its own organisation and
    staff only). Anyone else gets 404, so unpublished offers do not reveal that they exist."""
    offer = queries.with_details(Offer.objects.filter(pk=pk)).first()
    if offer is None:
        raise Http404
    if offer.is_public:
        return offer, False
    user = request.user
    if not user.is_authenticated or offer.status == Offer.Status.ARCHIVED:
        raise Http404
    if not queries.can_edit(user, offer) or (
        roles.needs_second_factor(user) and not is_verified(user)
    ):
        raise Http404
    return offer, True


def _offer_context(offer: Offer, *, preview: bool) -> dict:
    language = _language()
    now = _now()
    title, description, fell_back = offer.text_in(language)
    today = timezone.localdate(now)
    lat, lon = offer.latitude, offer.longitude
    return {
        "offer": offer,
        "preview": preview,
        "title": title,
        "description": description,
        "fell_back": fell_back,
        "category_label": offer.category.label(language),
        "open_now": queries.is_open_at(offer, now),
        "slots": list(offer.weekly_slots.all()),
        "dates": [d for d in offer.dates.all() if d.date >= today],
        "languages": list(offer.languages.all()),
        "target_groups": list(offer.target_groups.all()),
        "phone_link": _phone_link(offer.phone),
        "coordinates": (f"{lat:.5f}", f"{lon:.5f}")
        if lat is not None and lon is not None
        else None,
        "osm_url": (
            f"https://www.openstreetmap.org/?mlat={lat:.5f}&mlon={lon:.5f}#map=17/{lat:.5f}/{lon:.5f}"
            if lat is not None and lon is not None
            else ""
        ),
        "directions_url": (
            f"https://www.openstreetmap.org/directions?to={lat:.5f}%2C{lon:.5f}"
            if lat is not None and lon is not None
            else ""
        ),
        "map_settings": _map_settings(),
    }


def _phone_link(phone: str) -> str:
    digits = "".join(ch for ch in phone if ch.isdigit() or ch == "+")
    return f"tel:{digits}" if digits else ""


@require_safe
def offer_detail(request: HttpRequest, pk: int) -> HttpResponse:
    offer, preview = _visible_offer(request, pk)
    if not preview:
        services.views_count(offer=offer)
    return render(request, "offers/detail.html", _offer_context(offer, preview=preview))


@require_safe
def offer_print(request: HttpRequest, pk: int) -> HttpResponse:
    offer, preview = _visible_offer(request, pk)
    return render(request, "offers/print.html", _offer_context(offer, preview=preview))
