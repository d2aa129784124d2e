"""Reusable reads of offers: the public filters shared by the map, the list and the API; how an
offer stands for its organisation; what a pending change alters; view counts."""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db import connection
from django.db.models import (
    Avg,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    FloatField,
    Func,
    IntegerField,
    Max,
    Min,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Sum,
    Value,
)
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from teilhabe.core import roles
from teilhabe.core.models import Language, Organisation, TargetGroup
from teilhabe.offers import search
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
    offers = text_search(offers, spec.text, categories=spec.categories)
    if spec.languages or spec.target_groups:
        offers = offers.distinct()
    return offers


def text_search(
    offers: QuerySet[Offer], text: str, *, categories: tuple[str, ...] = ()
) -> QuerySet[Offer]:
    """Offers whose title or description (in any language) or organisation name contains
    `text`, ignoring case; through the text index (search.py), so it stays fast at 100,000
    offers. Shared by the map, the list, the JSON API and the HSDS search. `categories`
    (slugs the caller filters by as well) lets the index search only those categories."""
    text = search.normalized(text)
    if not text:
        return offers
    return offers.filter(search.text_condition(text, categories))


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


# A list counts at most this many offers; more are reported as "more than COUNT_LIMIT", and
# pages beyond it are not served (narrow the filter instead). Counting 100,000 rows for every
# page of a list would cost more than the page itself.
COUNT_LIMIT = 10_000


# The first ids of a list are read at once: a search (the common case) finds fewer, so one
# query both counts and pages; a longer list is counted by the database instead.
ID_BATCH = 2000


class CountedIds:
    """Ids of offers in list order (title, then id), counted up to COUNT_LIMIT (`capped` says
    that more match), sliced like a list, so a Paginator can page through them."""

    def __init__(self, found: int) -> None:
        self._count, self.capped = min(found, COUNT_LIMIT), found > COUNT_LIMIT

    def count(self) -> int:
        return self._count

    def __len__(self) -> int:
        return self._count

    def __getitem__(self, window: slice) -> list[int]:
        start, stop = window.start or 0, min(window.stop or self._count, self._count)
        return self._slice(start, stop) if start < stop else []

    def _slice(self, start: int, stop: int) -> list[int]:
        raise NotImplementedError


class OrderedIds(CountedIds):
    """The ids of the offers of a queryset, read from the database.

    The filter (text index, bbox …) is evaluated once when it matches at most ID_BATCH offers;
    otherwise a count (on the indexes, stopping after COUNT_LIMIT + 1) and, for a page beyond
    the first ID_BATCH, that page are read as well.
    """

    def __init__(self, offers: QuerySet[Offer]):
        self._ordered = offers.order_by("title", "pk").values_list("pk", flat=True)
        self._head = list(self._ordered[: ID_BATCH + 1])
        found = len(self._head)
        if found > ID_BATCH:
            found = offers.order_by().values("pk")[: COUNT_LIMIT + 1].count()
        super().__init__(found)

    def _slice(self, start: int, stop: int) -> list[int]:
        if stop <= len(self._head):
            return self._head[start:stop]
        return list(self._ordered[start:stop])


def offers_in_order(ids: list[int]) -> list[Offer]:
    """The offers with these ids (one page of a list), with_details(), in the order given."""
    if not ids:
        return []
    by_id = {offer.pk: offer for offer in with_details(Offer.objects.filter(pk__in=ids).order_by())}
    return [by_id[pk] for pk in ids if pk in by_id]


# What an offer record (offer_records) carries from the offer row itself.
RECORD_FIELDS = (
    "id",
    "uuid",
    "title",
    "description",
    "latitude",
    "longitude",
    "street",
    "postcode",
    "city",
    "is_free",
    "cost_note",
    "wheelchair_access",
    "by_appointment",
    "hours_note",
    "phone",
    "email",
    "website",
    "last_confirmed_at",
    "updated_at",
    "category__slug",
    "category__name",
    "category__names",
    "category__colour",
    "district__slug",
    "district__name",
    "organisation__uuid",
    "organisation__name",
)


def offer_records(ids: list[int], language: str) -> list[dict]:
    """Everything the JSON API shows of these offers, as plain data in the order of `ids`:
    the RECORD_FIELDS plus languages (codes), target_groups (slugs), weekly_slots and dates
    (tuples), the title and description in `language` (German where not translated, which
    `fell_back` says). Two queries and no model objects, so a page of a list stays cheap (on
    PostgreSQL every query is a round trip)."""
    if not ids:
        return []
    rows = {
        row["id"]: row for row in Offer.objects.filter(pk__in=ids).order_by().values(*RECORD_FIELDS)
    }
    if not rows:
        return []
    for row in rows.values():
        row.update(languages=[], target_groups=[], weekly_slots=[], dates=[])
    translated: dict[int, tuple[str, str]] = {}
    for offer_id, kind, first, second, third in _related_rows(list(rows), language):
        row = rows[offer_id]
        if kind == "l":
            row["languages"].append(first)
        elif kind == "t":
            row["target_groups"].append(first)
        elif kind == "s":
            row["weekly_slots"].append((int(first), _time(second), _time(third)))
        elif kind == "d":
            row["dates"].append((date.fromisoformat(first), _time(second), _time(third)))
        else:
            translated[offer_id] = (first, second)
    for offer_id, row in rows.items():
        # As Offer.text_in: a translation's empty description falls back to the German one.
        if offer_id in translated:
            title, description = translated[offer_id]
            row.update(title=title, description=description or row["description"], fell_back=False)
        else:
            row["fell_back"] = language != "de"
    return [rows[pk] for pk in ids if pk in rows]


def _time(value: str | None) -> time | None:
    return time.fromisoformat(value) if value else None


def _related_rows(ids: list[int], language: str) -> list[tuple]:
    """(offer id, kind, up to three values as text) of the offers' languages (l), target groups
    (t), weekly slots (s), dates (d) and published translation into `language` (x), in the
    order the models define, in one query."""
    among = ", ".join(["%s"] * len(ids))
    languages = Offer.languages.through._meta.db_table
    groups = Offer.target_groups.through._meta.db_table
    parts = [
        f"SELECT o.offer_id, 'l', l.sort_order, l.name_en, l.code, NULL, NULL "  # noqa: S608
        f"FROM {languages} o JOIN {Language._meta.db_table} l ON l.id = o.language_id "
        f"WHERE o.offer_id IN ({among})",
        f"SELECT o.offer_id, 't', g.sort_order, g.name, g.slug, NULL, NULL "  # noqa: S608
        f"FROM {groups} o JOIN {TargetGroup._meta.db_table} g ON g.id = o.targetgroup_id "
        f"WHERE o.offer_id IN ({among})",
        f"SELECT offer_id, 's', weekday, CAST(opens AS TEXT), CAST(weekday AS TEXT), "  # noqa: S608
        f"CAST(opens AS TEXT), CAST(closes AS TEXT) FROM {WeeklySlot._meta.db_table} "
        f"WHERE offer_id IN ({among})",
        # Dates without a start time come first on their day (as SQLite orders them).
        f"SELECT offer_id, 'd', 0, CAST(date AS TEXT) || ' ' || "  # noqa: S608
        f"COALESCE(CAST(starts AS TEXT), ''), CAST(date AS TEXT), CAST(starts AS TEXT), "
        f"CAST(ends AS TEXT) FROM {OneOffDate._meta.db_table} WHERE offer_id IN ({among})",
    ]
    params: list = [*ids, *ids, *ids, *ids]
    if language != "de":
        parts.append(
            f"SELECT offer_id, 'x', 0, '', title, description, NULL "  # noqa: S608
            f"FROM {OfferTranslation._meta.db_table} "
            f"WHERE offer_id IN ({among}) AND language = %s AND status = %s"
        )
        params += [*ids, language, OfferTranslation.Status.PUBLISHED]
    sql = " UNION ALL ".join(parts) + " ORDER BY 1, 2, 3, 4"
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [(row[0], row[1], row[4], row[5], row[6]) for row in cursor.fetchall()]


# --- the map's aggregated view -------------------------------------------------------------


class _GridIndex(Func):
    """floor(value / size) as an integer: the number of a grid column or row."""

    output_field = IntegerField()

    def as_sqlite(self, compiler, connection, **extra):
        # The values are shifted to be positive, where truncation is floor.
        return self.as_sql(compiler, connection, template="CAST(%(expressions)s AS INTEGER)")

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, template="CAST(FLOOR(%(expressions)s) AS INTEGER)")


@dataclass(frozen=True)
class Cell:
    """The offers in one cell of a grid laid over the map: how many, where on average, their
    extent, and the smallest id (the offer itself when it is alone)."""

    column: int
    row: int
    count: int
    latitude: float
    longitude: float
    west: float
    south: float
    east: float
    north: float
    first_id: int


def grid_cells(offers: QuerySet[Offer], *, cell_lon: float, cell_lat: float) -> list[Cell]:
    """The offers (with a place) counted per grid cell, in the database (one GROUP BY), so
    that 100,000 offers become a few hundred rows. Cells are aligned to longitude -180 and
    latitude -90, so a cell is the same whatever part of the map is asked for."""

    def index(field: str, shift: float, size: float) -> _GridIndex:
        return _GridIndex(
            ExpressionWrapper((F(field) + Value(shift)) / Value(size), output_field=FloatField())
        )

    rows = (
        offers.filter(latitude__isnull=False)
        .order_by()
        .annotate(gx=index("longitude", 180.0, cell_lon), gy=index("latitude", 90.0, cell_lat))
        .values("gx", "gy")
        .annotate(
            n=Count("id"),
            lat=Avg("latitude"),
            lon=Avg("longitude"),
            west=Min("longitude"),
            east=Max("longitude"),
            south=Min("latitude"),
            north=Max("latitude"),
            first=Min("id"),
        )
    )
    names = ("gx", "gy", "n", "lat", "lon", "west", "south", "east", "north", "first")
    return [Cell(*(row[name] for name in names)) for row in rows]


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
