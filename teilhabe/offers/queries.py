"""Reusable reads of offers: the public filters shared by the map, the list and the API; how an
offer stands for its organisation; what a pending change alters; view counts."""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from teilhabe.core import roles
from teilhabe.core.models import Organisation
from teilhabe.offers.models import DailyViews, Offer, OfferTranslation, OneOffDate, WeeklySlot


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
    for once in offer.dates.all():
        if (
            once.date == local.date()
            and (once.starts is None or once.starts <= local.time())
            and (once.ends is None or local.time() < once.ends)
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


# The fields a revision carries over to the published offer when approved.
CONTENT_FIELDS = (
    "organisation_id",
    "category_id",
    "title",
    "description",
    "is_free",
    "cost_note",
    "wheelchair_access",
    "street",
    "postcode",
    "city",
    "latitude",
    "longitude",
    "district_id",
    "by_appointment",
    "hours_note",
    "phone",
    "email",
    "website",
)
RECENT_DAYS = 30


# --- What a maintainer and a reviewer see ------------------------------------------------


@dataclass(frozen=True)
class State:
    """How an offer stands, in the words its organisation reads: a code for styling, a label,
    and the reason when it was rejected."""

    code: str
    label: str
    reason: str = ""


def offer_state(offer: Offer) -> State:
    """The state of an offer (or of a pending change) as its organisation sees it."""
    if offer.status == Offer.Status.ARCHIVED:
        return State("archived", _("Archived"))
    if offer.revision_of_id is not None:
        if offer.status == Offer.Status.REVIEW:
            return State("change-review", _("Published; change in review"))
        if offer.rejection_reason:
            return State("rejected", _("Published; change rejected"), offer.rejection_reason)
        return State("change-draft", _("Published; change not yet sent for review"))
    if offer.status == Offer.Status.DRAFT:
        if offer.rejection_reason:
            return State("rejected", _("Rejected"), offer.rejection_reason)
        return State("draft", _("Draft"))
    if offer.status == Offer.Status.REVIEW:
        return State("review", _("In review"))
    pending = next(iter(offer.revisions.all()), None)
    if pending is not None:
        return offer_state(pending)
    if offer.left_map_at is not None:
        return State("off-map", _("Off the map: not confirmed in time"))
    if offer.reminder_sent_at is not None:
        return State("reminded", _("Published; please confirm that it is still current"))
    return State("published", _("Published"))


def view_counts(offer_ids: list[int], today: date) -> dict[int, tuple[int, int]]:
    """offer id → (views in the last 30 days, views in total)."""
    since = today - timedelta(days=RECENT_DAYS - 1)
    rows = (
        DailyViews.objects.filter(offer_id__in=offer_ids)
        .values("offer_id")
        .annotate(total=Sum("count"), recent=Sum("count", filter=Q(day__gte=since)))
    )
    return {row["offer_id"]: (row["recent"] or 0, row["total"] or 0) for row in rows}


@dataclass(frozen=True)
class Difference:
    label: str
    published: str
    change: str


def _shown(value) -> str:
    if value is None or value == "":
        return "–"
    if value is True:
        return _("yes")
    if value is False:
        return _("no")
    return str(value)


def differences(change: Offer) -> list[Difference]:
    """What a pending change alters in the published offer, field by field."""
    published = change.revision_of
    found: list[Difference] = []
    for name in CONTENT_FIELDS:
        field = Offer._meta.get_field(name.removesuffix("_id"))
        if getattr(published, name) == getattr(change, name):
            continue
        if field.choices:
            old = getattr(published, f"get_{field.name}_display")()
            new = getattr(change, f"get_{field.name}_display")()
        else:
            old, new = getattr(published, field.name), getattr(change, field.name)
        found.append(Difference(capfirst(field.verbose_name), _shown(old), _shown(new)))

    def listed(offer: Offer, relation: str) -> str:
        return ", ".join(sorted(str(item) for item in getattr(offer, relation).all()))

    for relation, label in (
        ("target_groups", _("Target groups")),
        ("languages", _("Languages spoken")),
        ("weekly_slots", _("Weekly opening hours")),
        ("dates", _("Dates")),
    ):
        old, new = listed(published, relation), listed(change, relation)
        if old != new:
            found.append(Difference(label, _shown(old), _shown(new)))
    names = dict(settings.LANGUAGES)
    old_texts = {t.language: t for t in published.translations.all()}
    new_texts = {t.language: t for t in change.translations.all()}
    for code in sorted(old_texts.keys() | new_texts.keys()):
        old_text, new_text = old_texts.get(code), new_texts.get(code)

        def text(translation) -> str:
            if translation is None:
                return ""
            flag = f" ({_('machine-translated')})" if translation.machine_translated else ""
            return f"{translation.title}{flag}\n{translation.description}".strip()

        if text(old_text) != text(new_text):
            label = _("Translation: %(language)s") % {"language": names.get(code, code)}
            found.append(Difference(label, _shown(text(old_text)), _shown(text(new_text))))
    return found
