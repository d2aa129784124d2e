"""Statistics for staff: one page with the period's figures and a CSV download per table."""

import csv
import io

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from teilhabe.core.permissions import staff_required
from teilhabe.mediation import statistics
from teilhabe.mediation.expense_forms import PeriodForm

TABLES = ("requests", "languages", "hours", "gaps", "mediators")


def _period(request: HttpRequest) -> tuple[PeriodForm, statistics.Period]:
    form = PeriodForm(request.GET or None)
    period = statistics.default_period()
    if form.is_valid():
        period = statistics.Period(
            form.cleaned_data.get("first_month") or period.first_month,
            form.cleaned_data.get("last_month") or period.last_month,
        )
        if period.last_month < period.first_month:  # only a start after the default end
            period = statistics.Period(period.first_month, period.first_month)
    return form, period


@staff_required
def statistics_page(request: HttpRequest) -> HttpResponse:
    form, period = _period(request)
    by_language = statistics.requests_by_language(period)
    by_month = statistics.requests_by_language_and_month(period)
    return render(
        request,
        "mediation/statistics/statistics.html",
        {
            "form": form,
            "period": period,
            "query": request.GET.urlencode(),
            "by_language": by_language,
            "totals": {
                name: sum(getattr(row, name) for row in by_language)
                for name in ("total", "filled", "unfilled", "cancelled", "open")
            },
            "by_month": by_month,
            "month_totals": _month_totals(by_month),
            "hours": statistics.hours_by_area(period),
            "gaps": statistics.recruitment_gaps(period),
            "supply": statistics.mediators_by_language(),
        },
    )


def _month_totals(rows: list[statistics.RequestCounts]) -> list[dict]:
    """Per month over all languages (a few hundred aggregated rows at most)."""
    months: dict = {}
    for row in rows:
        month = months.setdefault(
            row.month,
            {"month": row.month, "total": 0, "filled": 0, "unfilled": 0, "cancelled": 0, "open": 0},
        )
        for name in ("total", "filled", "unfilled", "cancelled", "open"):
            month[name] += getattr(row, name)
    for month in months.values():
        asked = month["filled"] + month["unfilled"]
        month["fill_rate"] = round(100 * month["filled"] / asked) if asked else None
    return sorted(months.values(), key=lambda month: month["month"])


def _rows(table: str, period: statistics.Period) -> tuple[list[str], list[list]]:
    if table == "requests":
        return (
            [_("Month"), _("Language code"), _("Language"), *_count_headers()],
            [
                [f"{r.month:%Y-%m}", r.language_code, r.language, *_counts(r)]
                for r in statistics.requests_by_language_and_month(period)
            ],
        )
    if table == "languages":
        return (
            [_("Language code"), _("Language"), *_count_headers()],
            [
                [r.language_code, r.language, *_counts(r)]
                for r in statistics.requests_by_language(period)
            ],
        )
    if table == "hours":
        return (
            [_("Area"), _("Appointments done"), _("Hours")],
            [
                [r.label, r.appointments, str(r.hours).replace(".", ",")]
                for r in statistics.hours_by_area(period)
            ],
        )
    if table == "gaps":
        return (
            [
                _("Language code"),
                _("Language"),
                _("Days"),
                _("Time of day"),
                _("Requests"),
                _("Unfilled"),
                _("Mediators available"),
                _("Summary"),
            ],
            [
                [
                    g.language_code,
                    g.language,
                    g.day_kind,
                    g.part_of_day,
                    g.requests,
                    g.unfilled,
                    g.mediators_available,
                    g.sentence,
                ]
                for g in statistics.recruitment_gaps(period)
            ],
        )
    return (
        [
            _("Language code"),
            _("Language"),
            _("Active"),
            _("Active, training or declaration missing"),
            _("Applicants"),
            _("Paused"),
        ],
        [
            [r.language_code, r.language, r.active, r.not_ready, r.applicants, r.paused]
            for r in statistics.mediators_by_language()
        ],
    )


def _count_headers() -> list[str]:
    return [
        _("Requests"),
        _("Filled"),
        _("Unfilled"),
        _("Cancelled"),
        _("Open"),
        _("Fill rate in per cent"),
    ]


def _counts(row) -> list:
    rate = row.fill_rate
    return [
        row.total,
        row.filled,
        row.unfilled,
        row.cancelled,
        row.open,
        "" if rate is None else rate,
    ]


@staff_required
def statistics_csv(request: HttpRequest, table: str) -> HttpResponse:
    if table not in TABLES:
        raise Http404
    _form, period = _period(request)
    headers, rows = _rows(table, period)
    output = io.StringIO(newline="")
    output.write("\ufeff")  # German Excel reads UTF-8 with a byte-order mark
    writer = csv.writer(output, delimiter=";", lineterminator="\r\n")
    writer.writerow(headers)
    writer.writerows(rows)
    response = HttpResponse(output.getvalue(), content_type="text/csv; charset=utf-8")
    name = f"sprachmittlung-{table}-{period.first_month:%Y-%m}-{period.last_month:%Y-%m}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
