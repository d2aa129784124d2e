"""Reusable reads of offers: the public filters shared by the map, the list and the API."""

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from teilhabe.core import roles
from teilhabe.core.models import Organisation
from teilhabe.offers.models import Offer, OfferTranslation, OneOffDate, WeeklySlot


class FilterError(ValueError):
    """A filter value that cannot be understood; the message says which and why."""


@dataclass(frozen=True)
class OfferFilter:
    """The public filters. Every field is optional; lists mean "any of these"."""

    categories: tuple[str, ...] = ()  # category slugs
    districts: tuple[str, ...] = ()  # district slugs
    languages: tuple[str, ...] = ()  # language codes spoken at the offer
    target_groups: tuple[str, ...] = ()  # target group slugs
    open_now: bool = False
    free_only: bool = False
    text: str = ""
    bbox: tuple[float, float, float, float] | None = None  # min_lon, min_lat, max_lon, max_lat
    organisation_ids: tuple[int, ...] = field(default=())

    @property
    def is_empty(self) -> bool:
        return self == OfferFilter()


def parse_bbox(value: str) -> tuple[float, float, float, float]:
    """'minLon,minLat,maxLon,maxLat' → floats, or FilterError saying what is wrong."""
    parts = value.split(",")
    if len(parts) != 4:
        raise FilterError("bbox needs four numbers: minLon,minLat,maxLon,maxLat")
    try:
        min_lon, min_lat, max_lon, max_lat = (float(part) for part in parts)
    except ValueError as exc:
        raise FilterError("bbox needs four numbers: minLon,minLat,maxLon,maxLat") from exc
    if not (-180 <= min_lon <= max_lon <= 180 and -90 <= min_lat <= max_lat <= 90):
        raise FilterError("bbox must be minLon,minLat,maxLon,maxLat in WGS84, min before max")
    return min_lon, min_lat, max_lon, max_lat


def open_now_q(now: datetime | None = None) -> Q:
    """Offers open at this moment (local time): a weekly slot now, or a one-off date now."""
    local = timezone.localtime(now or timezone.now())
    today, time = local.date(), local.time()
    weekly = WeeklySlot.objects.filter(
        offer=OuterRef("pk"), weekday=local.weekday(), opens__lte=time, closes__gt=time
    )
    once = OneOffDate.objects.filter(offer=OuterRef("pk"), date=today).filter(
        Q(starts__isnull=True) | Q(starts__lte=time), Q(ends__isnull=True) | Q(ends__gt=time)
    )
    return Q(Exists(weekly)) | Q(Exists(once))


def apply_filter(
    offers: QuerySet[Offer], spec: OfferFilter, now: datetime | None = None
) -> QuerySet[Offer]:
    if spec.categories:
        offers = offers.filter(category__slug__in=spec.categories)
    if spec.districts:
        offers = offers.filter(district__slug__in=spec.districts)
    if spec.languages:
        offers = offers.filter(languages__code__in=spec.languages)
    if spec.target_groups:
        offers = offers.filter(target_groups__slug__in=spec.target_groups)
    if spec.organisation_ids:
        offers = offers.filter(organisation_id__in=spec.organisation_ids)
    if spec.free_only:
        offers = offers.filter(is_free=True)
    if spec.open_now:
        offers = offers.filter(open_now_q(now))
    if spec.bbox:
        min_lon, min_lat, max_lon, max_lat = spec.bbox
        offers = offers.filter(
            longitude__gte=min_lon,
            longitude__lte=max_lon,
            latitude__gte=min_lat,
            latitude__lte=max_lat,
        )
    text = spec.text.strip()
    if text:
        translated = OfferTranslation.objects.filter(offer=OuterRef("pk")).filter(
            Q(title__icontains=text) | Q(description__icontains=text)
        )
        offers = offers.filter(
            Q(title__icontains=text)
            | Q(description__icontains=text)
            | Q(organisation__name__icontains=text)
            | Q(Exists(translated))
        )
    if spec.languages or spec.target_groups:
        offers = offers.distinct()
    return offers


def with_details(offers: QuerySet[Offer]) -> QuerySet[Offer]:
    """Everything a list or page shows, in a fixed number of queries."""
    # The district's boundary polygon is large and never shown in a list: leave it in the database.
    return (
        offers.select_related("category", "district", "organisation")
        .defer("district__geometry")
        .prefetch_related(
            "languages",
            "target_groups",
            "weekly_slots",
            "dates",
            Prefetch("translations", queryset=OfferTranslation.objects.filter(status="published")),
        )
    )


def public_offers(
    spec: OfferFilter = OfferFilter(), now: datetime | None = None
) -> QuerySet[Offer]:
    return apply_filter(Offer.objects.public(), spec, now)


def is_open_at(offer: Offer, moment: datetime) -> bool:
    """Whether the offer is open at `moment`, from its prefetched slots and dates."""
    local = timezone.localtime(moment)
    for slot in offer.weekly_slots.all():
        if slot.weekday == local.weekday() and slot.opens <= local.time() < slot.closes:
            return True
    for date in offer.dates.all():
        if (
            date.date == local.date()
            and (date.starts is None or date.starts <= local.time())
            and (date.ends is None or local.time() < date.ends)
        ):
            return True
    return False


def organisations_for(user) -> QuerySet[Organisation]:
    """The organisations whose offers the user may maintain (staff: every active one)."""
    if roles.has_role(user, roles.STAFF):
        return Organisation.objects.filter(is_active=True)
    if not user.is_authenticated:
        return Organisation.objects.none()
    return Organisation.objects.filter(memberships__user=user, is_active=True)


def can_edit(user, offer: Offer) -> bool:
    if not user.is_authenticated:
        return False
    if roles.has_role(user, roles.STAFF):
        return True
    return offer.organisation.memberships.filter(user=user).exists()


def offers_for_maintainer(user) -> QuerySet[Offer]:
    """The offers (and pending changes) a user may see in their own list."""
    return Offer.objects.filter(organisation__in=organisations_for(user))


def review_queue() -> QuerySet[Offer]:
    return (
        Offer.objects.filter(status=Offer.Status.REVIEW)
        .select_related("organisation", "category", "revision_of")
        .order_by("updated_at")
    )
