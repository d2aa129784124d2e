"""Offers for tests of the public search: published in a category, on the latitude of
Dortmund's centre at the given longitude."""

from teilhabe.offers.models import Category, Offer


def offer_at(organisation, title: str, longitude: float | None = 7.40, **fields) -> Offer:
    return Offer.objects.create(
        organisation=organisation,
        category=Category.objects.get(slug=fields.pop("category", "treffpunkte")),
        title=title,
        latitude=None if longitude is None else 51.51,
        longitude=longitude,
        status=fields.pop("status", Offer.Status.PUBLISHED),
        **fields,
    )
