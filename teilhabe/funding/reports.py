"""Reports per programme and period: budget, requested, approved, paid, claimed back and repaid,
by field of action (Handlungsfeld), district, organisation kind and measure type; counts of
organisations funded and flat-rate units (meeting points, low-threshold offers …); CSV export.

Everything is summed by the database (GROUP BY queries), never by looping over rows in Python.
What counts:
- an application counts once it was submitted (drafts and withdrawn ones do not);
- approved = the decisions' granted amounts, paid = payments made, claimed = repayment claims
  confirmed by staff (provisional ones are not counted), repaid = money paid back;
- by field of action and by district an amount counts in each field/district it is tagged with,
  so those rows can add up to more than the total (a project may carry several tags);
- by measure type and district (measure-level), what was paid and repaid is the application's
  amount shared out by the measure's part of the grant, rounded down to the cent.
"""

from dataclasses import dataclass, field, fields

from django.db.models import (
    BigIntegerField,
    Count,
    ExpressionWrapper,
    F,
    Q,
    QuerySet,
    Sum,
)
from django.db.models.functions import NullIf
from django.utils.translation import gettext as _

from teilhabe.core.models import Organisation
from teilhabe.funding import csv_de
from teilhabe.funding.models import (
    Application,
    Measure,
    MeasureType,
    Period,
    Programme,
    ProofOfUse,
    RepaymentClaim,
)

NOT_SUBMITTED = (Application.Status.DRAFT, Application.Status.WITHDRAWN)
CONFIRMED_CLAIMS = (RepaymentClaim.Status.OPEN, RepaymentClaim.Status.SETTLED)
MEETING_POINT = "ankommenstreffpunkt"


@dataclass(frozen=True)
class Figures:
    applications: int = 0
    requested_cents: int = 0
    approved_cents: int = 0
    paid_cents: int = 0
    claimed_cents: int = 0
    repaid_cents: int = 0


@dataclass(frozen=True)
class Row(Figures):
    key: str = ""
    label: str = ""


@dataclass(frozen=True)
class FlatRateRow:
    label: str
    unit: str
    unit_cents: int
    requested_units: int
    granted_units: int
    delivered_units: int  # in accepted proofs
    granted_cents: int
    slug: str = ""


@dataclass
class PeriodReport:
    period: Period
    totals: Figures
    withheld_cents: int
    organisations_applied: int
    organisations_funded: int
    applications_funded: int
    by_action_field: list[Row] = field(default_factory=list)
    by_district: list[Row] = field(default_factory=list)
    by_kind: list[Row] = field(default_factory=list)
    by_measure_type: list[Row] = field(default_factory=list)
    flat_rates: list[FlatRateRow] = field(default_factory=list)

    @property
    def budget_cents(self) -> int:
        return self.period.budget_cents

    @property
    def left_cents(self) -> int:
        return self.period.budget_cents - self.totals.approved_cents

    @property
    def flat_rate_units(self) -> int:
        return sum(row.granted_units for row in self.flat_rates)

    @property
    def meeting_points(self) -> int:
        return sum(row.granted_units for row in self.flat_rates if row.slug == MEETING_POINT)

    def sections(self) -> list[tuple[str, str, list[Row]]]:
        return [
            ("action_field", _("By field of action (Handlungsfeld)"), self.by_action_field),
            ("district", _("By city district"), self.by_district),
            ("kind", _("By organisation kind"), self.by_kind),
            ("measure_type", _("By measure type"), self.by_measure_type),
        ]


# --- The sums, as database expressions -----------------------------------------------------


def _application_sums() -> dict:
    """Per group of applications. Every join below is one-to-one (decision, plan, proof, claim),
    so no amount is counted twice."""
    return {
        "applications": Count("pk", distinct=True),
        "requested_cents": Sum("requested_cents"),
        "approved_cents": Sum("decision__granted_cents"),
        "paid_cents": Sum("decision__payment_plan__paid_cents"),
        "claimed_cents": Sum(
            "proof__claim__amount_cents", filter=Q(proof__claim__status__in=CONFIRMED_CLAIMS)
        ),
        "repaid_cents": Sum("proof__claim__repaid_cents"),
    }


def _share(amount: str, part: str, whole: str) -> ExpressionWrapper:
    # amount × part ÷ whole in integers (rounded down); NULL when the whole is 0 or missing.
    return ExpressionWrapper(
        F(amount) * F(part) / NullIf(F(whole), 0), output_field=BigIntegerField()
    )


def _measure_sums() -> dict:
    """Per group of measures (a measure has at most one proof line: one proof per application,
    one line per measure)."""
    return {
        "applications": Count("application", distinct=True),
        "requested_cents": Sum("requested_cents"),
        "approved_cents": Sum("granted_cents"),
        "paid_cents": Sum(
            _share(
                "application__decision__payment_plan__paid_cents",
                "granted_cents",
                "application__decision__granted_cents",
            )
        ),
        "claimed_cents": Sum(
            "proof_lines__shortfall_cents",
            filter=Q(application__proof__claim__status__in=CONFIRMED_CLAIMS),
        ),
        "repaid_cents": Sum(
            _share(
                "application__proof__claim__repaid_cents",
                "proof_lines__shortfall_cents",
                "application__proof__claim__amount_cents",
            )
        ),
    }


def _figures(values: dict) -> dict:
    return {f.name: values.get(f.name) or 0 for f in fields(Figures)}


def submitted_applications(period: Period) -> QuerySet[Application]:
    return Application.objects.filter(period=period).exclude(status__in=NOT_SUBMITTED)


def submitted_measures(period: Period) -> QuerySet[Measure]:
    return Measure.objects.filter(application__period=period).exclude(
        application__status__in=NOT_SUBMITTED
    )


# --- The report ----------------------------------------------------------------------------


def period_report(period: Period) -> PeriodReport:
    applications = submitted_applications(period)
    totals = Figures(**_figures(applications.aggregate(**_application_sums())))
    withheld = applications.aggregate(total=Sum("decision__payment_plan__withheld_cents"))["total"]
    funded = applications.filter(decision__granted_cents__gt=0)
    return PeriodReport(
        period=period,
        totals=totals,
        withheld_cents=withheld or 0,
        organisations_applied=applications.values("organisation").distinct().count(),
        organisations_funded=funded.values("organisation").distinct().count(),
        applications_funded=funded.count(),
        by_action_field=by_action_field(period),
        by_district=by_district(period),
        by_kind=by_kind(period),
        by_measure_type=by_measure_type(period),
        flat_rates=flat_rates(period),
    )


def by_kind(period: Period) -> list[Row]:
    labels = dict(Organisation.Kind.choices)
    rows = (
        submitted_applications(period)
        .values("organisation__kind")
        .annotate(**_application_sums())
        .order_by("organisation__kind")
    )
    return [
        Row(
            key=row["organisation__kind"],
            label=str(labels.get(row["organisation__kind"], row["organisation__kind"])),
            **_figures(row),
        )
        for row in rows
    ]


def by_action_field(period: Period) -> list[Row]:
    rows = (
        submitted_applications(period)
        .values("action_fields__number", "action_fields__name")
        .annotate(**_application_sums())
        .order_by(F("action_fields__number").asc(nulls_last=True))
    )
    return [
        Row(
            key=str(row["action_fields__number"] or ""),
            label=(
                f"{row['action_fields__number']}. {_(row['action_fields__name'])}"
                if row["action_fields__number"]
                else _("No field of action given")
            ),
            **_figures(row),
        )
        for row in rows
    ]


def by_district(period: Period) -> list[Row]:
    rows = (
        submitted_measures(period)
        .values("districts__number", "districts__name")
        .annotate(**_measure_sums())
        .order_by(F("districts__number").asc(nulls_last=True))
    )
    return [
        Row(
            key=str(row["districts__number"] or ""),
            label=row["districts__name"] or _("No district given"),
            **_figures(row),
        )
        for row in rows
    ]


def by_measure_type(period: Period) -> list[Row]:
    rows = (
        submitted_measures(period)
        .values("measure_type")
        .annotate(**_measure_sums())
        .order_by("measure_type")
    )
    types = {t.pk: t for t in MeasureType.objects.filter(pk__in=[r["measure_type"] for r in rows])}
    return [
        Row(
            key=types[row["measure_type"]].slug,
            label=str(types[row["measure_type"]]),
            **_figures(row),
        )
        for row in rows
    ]


def flat_rates(period: Period) -> list[FlatRateRow]:
    rows = (
        submitted_measures(period)
        .filter(measure_type__kind=MeasureType.Kind.FLAT_RATE)
        .values("measure_type", "unit_cents")
        .annotate(
            requested_units=Sum("units"),
            granted_units=Sum("granted_units"),
            delivered_units=Sum(
                "proof_lines__units_delivered",
                filter=Q(proof_lines__proof__status=ProofOfUse.Status.ACCEPTED),
            ),
            granted_cents=Sum("granted_cents"),
        )
        .order_by("measure_type", "unit_cents")
    )
    types = {t.pk: t for t in MeasureType.objects.filter(pk__in=[r["measure_type"] for r in rows])}
    return [
        FlatRateRow(
            label=str(types[row["measure_type"]]),
            unit=types[row["measure_type"]].unit_label,
            slug=types[row["measure_type"]].slug,
            unit_cents=row["unit_cents"],
            requested_units=row["requested_units"] or 0,
            granted_units=row["granted_units"] or 0,
            delivered_units=row["delivered_units"] or 0,
            granted_cents=row["granted_cents"] or 0,
        )
        for row in rows
    ]


def programme_overview(programme: Programme) -> list[tuple[Period, Figures]]:
    """One line per period of the programme (one GROUP BY query)."""
    periods = list(programme.periods.order_by("-applications_open"))
    rows = {
        row["period"]: row
        for row in Application.objects.filter(period__programme=programme)
        .exclude(status__in=NOT_SUBMITTED)
        .values("period")
        .annotate(**_application_sums())
        .order_by("period")
    }
    return [(period, Figures(**_figures(rows.get(period.pk, {})))) for period in periods]


# --- CSV -----------------------------------------------------------------------------------


def report_csv(report: PeriodReport) -> bytes:
    """The report as CSV (semicolons, decimal comma, UTF-8 with BOM; see csv_de): the total with
    the budget, then one line per group of each section, then the counts."""
    header = (
        _("Section"),
        _("Group"),
        _("Applications"),
        _("Budget (EUR)"),
        _("Requested (EUR)"),
        _("Approved (EUR)"),
        _("Paid (EUR)"),
        _("Claimed back (EUR)"),
        _("Repaid (EUR)"),
    )

    def money_row(section: str, label: str, figures: Figures, budget: int | None = None) -> tuple:
        return (
            section,
            label,
            csv_de.Raw(str(figures.applications)),
            csv_de.amount(budget),
            csv_de.amount(figures.requested_cents),
            csv_de.amount(figures.approved_cents),
            csv_de.amount(figures.paid_cents),
            csv_de.amount(figures.claimed_cents),
            csv_de.amount(figures.repaid_cents),
        )

    def count_row(section: str, label: str, count: int, amount: int | None = None) -> tuple:
        return (section, label, csv_de.Raw(str(count)), "", "", csv_de.amount(amount), "", "", "")

    rows: list[tuple] = [
        money_row(_("Total"), str(report.period), report.totals, report.budget_cents)
    ]
    for _key, title, section_rows in report.sections():
        rows.extend(money_row(title, row.label, row) for row in section_rows)
    rows.append(count_row(_("Counts"), _("Organisations funded"), report.organisations_funded))
    rows.append(count_row(_("Counts"), _("Applications funded"), report.applications_funded))
    rows.extend(
        count_row(_("Flat-rate units granted"), row.label, row.granted_units, row.granted_cents)
        for row in report.flat_rates
    )
    return csv_de.to_bytes(header, rows)
