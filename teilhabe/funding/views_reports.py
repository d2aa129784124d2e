"""Staff reports per programme and period, and their CSV export."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from teilhabe.core.permissions import staff_required
from teilhabe.funding import reports
from teilhabe.funding.models import Period, Programme


def _default_period() -> Period | None:
    """The latest period that has decisions, else the latest one."""
    periods = Period.objects.select_related("programme").order_by("-applications_open")
    return periods.filter(applications__decision__isnull=False).first() or periods.first()


@staff_required
def report(request: HttpRequest) -> HttpResponse:
    period_id = request.GET.get("period", "")
    period = (
        get_object_or_404(Period.objects.select_related("programme"), pk=period_id)
        if period_id.isdigit()
        else _default_period()
    )
    return render(
        request,
        "funding/reports/report.html",
        {
            "period": period,
            "periods": Period.objects.select_related("programme").order_by(
                "programme__name", "-applications_open"
            ),
            "report": reports.period_report(period) if period else None,
            "overview": reports.programme_overview(period.programme) if period else [],
            "programmes": Programme.objects.all(),
        },
    )


@staff_required
def report_csv(request: HttpRequest, period_pk: int) -> HttpResponse:
    period = get_object_or_404(Period.objects.select_related("programme"), pk=period_pk)
    content = reports.report_csv(reports.period_report(period))
    response = HttpResponse(content, content_type="text/csv; charset=utf-8")
    name = f"foerderbericht-{period.programme.slug}-{period.pk}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
