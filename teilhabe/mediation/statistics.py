"""Figures for the centre's staff (issue 4 §9): requests filled and unfilled by language and
month, hours by area, the unmet demand by language and time of week (the recruitment gap list:
"we lack Tigrinya on weekday mornings"), and active mediators by language.

Every figure is one aggregate query (GROUP BY in the database); Python only arranges the few
result rows. Months, weekdays and hours are taken in the local time zone (Europe/Berlin).

Counting: a request is "filled" when a mediator confirmed it (confirmed or done), "unfilled"
when nobody could be found, "cancelled" when it was called off, "open" while still being
matched. The fill rate is filled / (filled + unfilled): cancellations and open requests say
nothing about the pool's reach.
"""

from dataclasses import dataclass
from datetime import date, datetime, time

from django.db.models import Case, Count, DateField, Q, Sum, Value, When
from django.db.models.functions import ExtractHour, ExtractIsoWeekDay, Trunc
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from teilhabe.mediation import expenses
from teilhabe.mediation.models import (
    Area,
    Assignment,
    AvailabilityWindow,
    MediationRequest,
    MediatorLanguage,
    MediatorProfile,
)

FILLED = [MediationRequest.Status.CONFIRMED, MediationRequest.Status.DONE]
OPEN = [MediationRequest.Status.REQUESTED, MediationRequest.Status.OFFERED]

# Parts of the day as the recruitment list speaks of them, with their hours [from, until).
PARTS_OF_DAY: tuple[tuple[str, int, int], ...] = (
    ("morning", 0, 12),
    ("afternoon", 12, 17),
    ("evening", 17, 24),
)
PART_LABELS = {
    "morning": gettext_lazy("mornings"),
    "afternoon": gettext_lazy("afternoons"),
    "evening": gettext_lazy("evenings"),
}
DAY_KIND_LABELS = {"weekday": gettext_lazy("weekday"), "weekend": gettext_lazy("weekend")}


@dataclass(frozen=True)
class Period:
    first_month: date
    last_month: date  # included

    @property
    def start(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.first_month, time.min))

    @property
    def end(self) -> datetime:
        return timezone.make_aware(datetime.combine(expenses.next_month(self.last_month), time.min))

    @property
    def months(self) -> list[date]:
        months, month = [], self.first_month
        while month <= self.last_month:
            months.append(month)
            month = expenses.next_month(month)
        return months


def default_period(today: date | None = None) -> Period:
    """The last twelve months, this one included."""
    today = today or timezone.localdate()
    last = expenses.month_start(today)
    first = last
    for _step in range(11):
        first = expenses.previous_month(first)
    return Period(first, last)


def _requests(period: Period):
    return MediationRequest.objects.filter(starts_at__gte=period.start, starts_at__lt=period.end)


def _language_label(name_en: str, dialect: str = "") -> str:
    label = _(name_en)
    return f"{label} – {dialect}" if dialect else label


def _rate(filled: int, unfilled: int) -> int | None:
    asked = filled + unfilled
    return round(100 * filled / asked) if asked else None


# --- Requests by language and month ---------------------------------------------------------


@dataclass(frozen=True)
class RequestCounts:
    month: date
    language_code: str
    language: str
    total: int
    filled: int
    unfilled: int
    cancelled: int
    open: int

    @property
    def fill_rate(self) -> int | None:
        return _rate(self.filled, self.unfilled)


def _counts():
    return {
        "total": Count("id"),
        "filled": Count("id", filter=Q(status__in=FILLED)),
        "unfilled": Count("id", filter=Q(status=MediationRequest.Status.UNFILLED)),
        "cancelled": Count("id", filter=Q(status=MediationRequest.Status.CANCELLED)),
        "open": Count("id", filter=Q(status__in=OPEN)),
    }


def requests_by_language_and_month(period: Period) -> list[RequestCounts]:
    rows = (
        _requests(period)
        .annotate(month=Trunc("starts_at", "month", output_field=DateField()))
        .values("month", "language__code", "language__name_en", "language__sort_order")
        .annotate(**_counts())
        .order_by("month", "language__sort_order", "language__code")
    )
    return [
        RequestCounts(
            month=row["month"],
            language_code=row["language__code"],
            language=_language_label(row["language__name_en"]),
            total=row["total"],
            filled=row["filled"],
            unfilled=row["unfilled"],
            cancelled=row["cancelled"],
            open=row["open"],
        )
        for row in rows
    ]


@dataclass(frozen=True)
class LanguageTotals:
    language_code: str
    language: str
    total: int
    filled: int
    unfilled: int
    cancelled: int
    open: int

    @property
    def fill_rate(self) -> int | None:
        return _rate(self.filled, self.unfilled)


def requests_by_language(period: Period) -> list[LanguageTotals]:
    """The period's totals per language, most requested first."""
    rows = (
        _requests(period)
        .values("language__code", "language__name_en")
        .annotate(**_counts())
        .order_by("-total", "language__code")
    )
    return [
        LanguageTotals(
            language_code=row["language__code"],
            language=_language_label(row["language__name_en"]),
            total=row["total"],
            filled=row["filled"],
            unfilled=row["unfilled"],
            cancelled=row["cancelled"],
            open=row["open"],
        )
        for row in rows
    ]


# --- Hours by area --------------------------------------------------------------------------


@dataclass(frozen=True)
class AreaHours:
    area: str
    label: str
    appointments: int
    minutes: int

    @property
    def hours(self) -> float:
        return round(self.minutes / 60, 1)


def hours_by_area(period: Period) -> list[AreaHours]:
    """Done appointments and their reported time, per area."""
    rows = dict(
        (row["request__area"], (row["appointments"], row["minutes"]))
        for row in Assignment.objects.filter(
            status=Assignment.Status.DONE,
            request__starts_at__gte=period.start,
            request__starts_at__lt=period.end,
        )
        .values("request__area")
        .annotate(appointments=Count("id"), minutes=Sum("actual_minutes", default=0))
        .order_by()
    )
    return [
        AreaHours(
            area=code,
            label=str(label),
            appointments=rows.get(code, (0, 0))[0],
            minutes=rows.get(code, (0, 0))[1],
        )
        for code, label in Area.choices
    ]


# --- Unmet demand: the recruitment gap list -------------------------------------------------


def _part_of_day(hour_expression):
    return Case(
        *(
            When(**{f"{hour_expression}__lt": until}, then=Value(name))
            for name, _since, until in PARTS_OF_DAY
        ),
        default=Value("evening"),
    )


@dataclass(frozen=True)
class Gap:
    language_code: str
    language: str
    day_kind: str  # "weekday" | "weekend"
    part_of_day: str  # "morning" | "afternoon" | "evening"
    requests: int  # all requests of the language in that time of week
    unfilled: int
    mediators_available: int  # active mediators of the language with a window then

    @property
    def when(self) -> str:
        return _("%(days)s %(part)s") % {
            "days": DAY_KIND_LABELS[self.day_kind],
            "part": PART_LABELS[self.part_of_day],
        }

    @property
    def sentence(self) -> str:
        return _("We lack %(language)s on %(when)s.") % {
            "language": self.language,
            "when": self.when,
        }


def _slot_requests(period: Period) -> dict[tuple[str, str, str], tuple[int, int, str]]:
    rows = (
        _requests(period)
        .exclude(status=MediationRequest.Status.CANCELLED)
        .annotate(
            weekday=ExtractIsoWeekDay("starts_at"),
            hour=ExtractHour("starts_at"),
        )
        .annotate(
            day_kind=Case(
                When(weekday__gte=6, then=Value("weekend")),
                default=Value("weekday"),
            ),
            part=_part_of_day("hour"),
        )
        .values("language__code", "language__name_en", "day_kind", "part")
        .annotate(
            requests=Count("id"),
            unfilled=Count("id", filter=Q(status=MediationRequest.Status.UNFILLED)),
        )
        .order_by()
    )
    return {
        (row["language__code"], row["day_kind"], row["part"]): (
            row["requests"],
            row["unfilled"],
            row["language__name_en"],
        )
        for row in rows
    }


def _window_overlaps(since: int, until: int) -> Q:
    """A weekly window [start_time, end_time) overlaps the hours [since, until)."""
    overlap = Q(end_time__gt=time(since))
    return overlap & Q(start_time__lt=time(until)) if until < 24 else overlap


def _available_mediators(codes: set[str]) -> dict[tuple[str, str, str], int]:
    """Active, trained mediators per language, kind of day and part of day in which they have a
    weekly window (a window from 10 to 14 counts for the morning and the afternoon)."""
    if not codes:
        return {}
    parts = {
        name: Count("mediator", distinct=True, filter=_window_overlaps(since, until))
        for name, since, until in PARTS_OF_DAY
    }
    rows = (
        AvailabilityWindow.objects.filter(
            mediator__in=MediatorProfile.objects.assignable(),
            mediator__languages__language__code__in=codes,
        )
        .annotate(
            day_kind=Case(
                When(weekday__gte=5, then=Value("weekend")),  # 0 = Monday … 6 = Sunday
                default=Value("weekday"),
            )
        )
        .values("mediator__languages__language__code", "day_kind")
        .annotate(**parts)
        .order_by()
    )
    available = {}
    for row in rows:
        for name, _since, _until in PARTS_OF_DAY:
            available[(row["mediator__languages__language__code"], row["day_kind"], name)] = row[
                name
            ]
    return available


def recruitment_gaps(period: Period) -> list[Gap]:
    """Where requests went unfilled, by language and time of week, worst first."""
    slots = _slot_requests(period)
    codes = {code for (code, _kind, _part), (_n, unfilled, _name) in slots.items() if unfilled}
    available = _available_mediators(codes)
    gaps = [
        Gap(
            language_code=code,
            language=_language_label(name),
            day_kind=kind,
            part_of_day=part,
            requests=requests,
            unfilled=unfilled,
            mediators_available=available.get((code, kind, part), 0),
        )
        for (code, kind, part), (requests, unfilled, name) in slots.items()
        if unfilled
    ]
    order = {name: index for index, (name, _s, _u) in enumerate(PARTS_OF_DAY)}
    return sorted(
        gaps,
        key=lambda gap: (
            -gap.unfilled,
            -(gap.unfilled / gap.requests),
            gap.language_code,
            gap.day_kind,
            order[gap.part_of_day],
        ),
    )


# --- Mediators by language ------------------------------------------------------------------


@dataclass(frozen=True)
class LanguageSupply:
    language_code: str
    language: str
    active: int  # may be assigned: active, trained, confidentiality signed
    not_ready: int  # active but training or declaration missing
    applicants: int
    paused: int


def mediators_by_language() -> list[LanguageSupply]:
    ready = Q(
        mediator__status=MediatorProfile.Status.ACTIVE,
        mediator__training_date__isnull=False,
        mediator__confidentiality_date__isnull=False,
    )
    rows = (
        MediatorLanguage.objects.values("language__code", "language__name_en")
        .annotate(
            active=Count("mediator", distinct=True, filter=ready),
            not_ready=Count(
                "mediator",
                distinct=True,
                filter=Q(mediator__status=MediatorProfile.Status.ACTIVE) & ~ready,
            ),
            applicants=Count(
                "mediator",
                distinct=True,
                filter=Q(mediator__status=MediatorProfile.Status.APPLICANT),
            ),
            paused=Count(
                "mediator", distinct=True, filter=Q(mediator__status=MediatorProfile.Status.PAUSED)
            ),
        )
        .order_by("-active", "language__code")
    )
    return [
        LanguageSupply(
            language_code=row["language__code"],
            language=_language_label(row["language__name_en"]),
            active=row["active"],
            not_ready=row["not_ready"],
            applicants=row["applicants"],
            paused=row["paused"],
        )
        for row in rows
        if row["active"] or row["not_ready"] or row["applicants"] or row["paused"]
    ]
