"""Offers as GeoJSON, for the map and the open-data API. Reads with values() (no model objects)
so the whole city stays cheap to build; the callers cache the bytes by map version."""

import json
from collections.abc import Iterable

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import override

from teilhabe.offers.models import Offer, OfferTranslation

FIELDS = (
    "id",
    "title",
    "latitude",
    "longitude",
    "is_free",
    "category__slug",
    "category__colour",
    "category__icon",
    "district__name",
    "district__slug",
)


def features(offers: QuerySet[Offer], *, language: str, base_url: str = "") -> list[dict]:
    """One GeoJSON Feature per offer with a place; titles in `language` where translated."""
    rows = list(offers.filter(latitude__isnull=False).values(*FIELDS))
    titles: dict[int, str] = {}
    if language != "de" and rows:
        titles = dict(
            OfferTranslation.objects.filter(
                offer_id__in=[row["id"] for row in rows],
                language=language,
                status="published",
            ).values_list("offer_id", "title")
        )
    with override(language):
        detail = reverse("offers:detail", kwargs={"pk": 0}).replace("/0/", "/{}/")
    return [_feature(row, titles.get(row["id"]), base_url + detail) for row in rows]


def _feature(row: dict, translated_title: str | None, detail_url: str) -> dict:
    return {
        "type": "Feature",
        "id": row["id"],
        "geometry": {
            "type": "Point",
            "coordinates": [round(row["longitude"], 6), round(row["latitude"], 6)],
        },
        "properties": {
            "id": row["id"],
            "title": translated_title or row["title"],
            "translated": translated_title is not None,
            "category": row["category__slug"],
            "colour": row["category__colour"],
            "icon": row["category__icon"],
            "district": row["district__name"],
            "district_slug": row["district__slug"],
            "free": row["is_free"],
            "url": detail_url.format(row["id"]),
        },
    }


def feature_collection(items: Iterable[dict]) -> dict:
    return {"type": "FeatureCollection", "features": list(items)}


def dumps(collection: dict) -> bytes:
    return json.dumps(collection, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
