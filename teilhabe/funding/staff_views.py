"""Centre staff: the list of applications, the formal check, single decisions, bank data.

Bank data is shown on its own page, only to staff, and every opening is recorded.
"""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from teilhabe.core.models import Organisation
from teilhabe.core.permissions import staff_required
from teilhabe.funding import queries, services
from teilhabe.funding.forms import STATUS_CHOICES, DecisionForm, FormalCheckForm
from teilhabe.funding.models import Application, Period


@staff_required
def applications(request: HttpRequest) -> HttpResponse:
    period_id = request.GET.get("period", "")
    status = request.GET.get("status", "")
    rows = queries.staff_applications(
        period_id=int(period_id) if period_id.isdigit() else None,
        status=status if status in Application.Status.values else None,
    )
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "funding/staff/applications.html",
        {
            "page": page,
            "periods": Period.objects.select_related("programme"),
            "statuses": STATUS_CHOICES,
            "period_id": period_id,
            "status": status,
            "counts": queries.staff_counts(),
        },
    )


def _detailed(pk: int) -> Application:
    return get_object_or_404(queries.with_details(Application.objects.all()), pk=pk)


@staff_required
def application(request: HttpRequest, pk: int) -> HttpResponse:
    """The application as submitted, its history of checks, and the formal-check form."""
    item = _detailed(pk)
    form = FormalCheckForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.formal_check_record(
                user=request.user,
                application=item,
                checklist=form.checklist(),
                outcome=form.cleaned_data["outcome"],
                note=form.cleaned_data["note"],
            )
        except services.FundingError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The formal check is recorded."))
            return redirect("funding:staff_application", pk=item.pk)
    return render(
        request,
        "funding/staff/application.html",
        {
            "application": item,
            "form": form,
            "checks": item.formal_checks.select_related("checked_by"),
            "reviews": item.reviews.select_related("reviewer"),
            "problems": services.submission_problems(item),
            "profile": services.profile_for(item.organisation),
            "decision": getattr(item, "decision", None),
        },
    )


@staff_required
def decide(request: HttpRequest, pk: int) -> HttpResponse:
    """A single decision (outside a committee round, or a late one). Approvals are refused with
    a message when the period's budget does not cover them — also when two arrive at once."""
    item = _detailed(pk)
    measures = list(item.measures.all())
    form = DecisionForm(request.POST or None, measures=measures)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.application_decide(
                    user=request.user,
                    application=item,
                    outcome=form.cleaned_data["outcome"],
                    reason=form.cleaned_data["reason"],
                    units=form.units(),
                    amounts=form.amounts(),
                )
            except services.FundingError as error:
                form.add_error(None, error.message)
                status = 409 if isinstance(error, services.BudgetExceeded) else 400
            else:
                messages.success(request, _("The decision is recorded; the letter is on its way."))
                return redirect("funding:staff_application", pk=item.pk)
        else:
            status = 400
    return render(
        request,
        "funding/staff/decide.html",
        {
            "application": item,
            "form": form,
            "left_cents": queries.budget_left_cents(item.period),
            "decision": getattr(item, "decision", None),
        },
        status=status,
    )


@staff_required
def bank_details(request: HttpRequest, organisation_pk: int) -> HttpResponse:
    organisation = get_object_or_404(Organisation, pk=organisation_pk)
    back = request.GET.get("application", "")
    profile = services.bank_data_read(
        user=request.user,
        organisation=organisation,
        context=f"application {back}" if back.isdigit() else "bank details page",
    )
    return render(
        request,
        "funding/staff/bank.html",
        {
            "organisation": organisation,
            "profile": profile,
            "back": int(back) if back.isdigit() else None,
        },
    )
