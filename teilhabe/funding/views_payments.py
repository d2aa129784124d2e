"""Staff pages for paying out grants: the list of grants with what is scheduled and paid, one
grant's schedule and payments, and the CSV export for the city's finance system."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from teilhabe.core.permissions import staff_required
from teilhabe.funding import payment_services, proof_services
from teilhabe.funding.forms_payments import ExportForm, PaymentForm, ScheduleForm
from teilhabe.funding.models import Application, Instalment, Period
from teilhabe.funding.services import FundingError


@staff_required
def payments(request: HttpRequest) -> HttpResponse:
    period_id = request.GET.get("period", "")
    period = Period.objects.filter(pk=period_id).first() if period_id.isdigit() else None
    grants = payment_services.grants(period_id=period.pk if period else None)
    page = Paginator(grants, 50).get_page(request.GET.get("page"))
    export_form = ExportForm(initial={"period": period})
    due = payment_services.export_candidates(period=period, due_until=timezone.localdate())
    due = list(due[:500])
    return render(
        request,
        "funding/payments/list.html",
        {
            "page": page,
            "period": period,
            "periods": Period.objects.select_related("programme"),
            "totals": payment_services.totals(period) if period else None,
            "export_form": export_form,
            "due_count": len(due),
            "due_cents": sum(i.open_cents for i in due),
            "missing": payment_services.missing_bank_account(due),
        },
    )


@staff_required
@require_POST
def payments_export(request: HttpRequest) -> HttpResponse:
    form = ExportForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("funding:payments")
    export = payment_services.payments_export(
        user=request.user,
        period=form.cleaned_data["period"],
        due_until=form.cleaned_data["due_until"],
        include_ordered=form.cleaned_data["include_ordered"],
    )
    for skipped in export.skipped:
        messages.warning(request, _("Not exported, no bank account: %(ref)s") % {"ref": skipped})
    if not export.count:
        messages.info(request, _("No instalment is due for the export."))
        return redirect("funding:payments")
    response = HttpResponse(export.content, content_type="text/csv; charset=utf-8")
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="auszahlungen-{stamp}.csv"'
    return response


def _granted(pk: int) -> Application:
    application = get_object_or_404(
        Application.objects.select_related("period__programme", "organisation", "decision"), pk=pk
    )
    if not proof_services.is_granted(application):
        raise Http404
    return application


@staff_required
def payment_plan(request: HttpRequest, pk: int) -> HttpResponse:
    application = _granted(pk)
    decision = application.decision
    form = ScheduleForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                if form.in_full:
                    payment_services.schedule_in_full(
                        user=request.user, decision=decision, due_on=form.dates()[0]
                    )
                elif (rows := form.instalments()) is not None:
                    payment_services.schedule_set(
                        user=request.user, decision=decision, instalments=rows
                    )
                else:
                    payment_services.schedule_evenly(
                        user=request.user, decision=decision, dates=form.dates()
                    )
            except FundingError as error:
                form.add_error(None, error.message)
                status = 400
            else:
                messages.success(request, _("The payment schedule is saved."))
                return redirect("funding:payment_plan", pk=application.pk)
        else:
            status = 400
    plan = payment_services.plan_of(decision)
    instalments = payment_services.instalments_of(plan)
    return render(
        request,
        "funding/payments/plan.html",
        {
            "application": application,
            "decision": decision,
            "plan": plan,
            "schedulable_cents": payment_services.schedulable_cents(plan),
            "rows": [
                (
                    instalment,
                    PaymentForm(
                        prefix_id=instalment.pk,
                        initial={"amount": instalment.open_cents},
                    )
                    if not instalment.is_paid
                    else None,
                )
                for instalment in instalments
            ],
            "form": form,
            "claim": proof_services.claim_of(proof_services.proof_of(application)),
        },
        status=status,
    )


@staff_required
@require_POST
def payment_record(request: HttpRequest, instalment_pk: int) -> HttpResponse:
    instalment = get_object_or_404(
        Instalment.objects.select_related("plan__decision"), pk=instalment_pk
    )
    form = PaymentForm(request.POST, prefix_id=instalment.pk)
    if form.is_valid():
        try:
            payment_services.payment_record(
                user=request.user,
                instalment=instalment,
                paid_on=form.cleaned_data["paid_on"],
                amount_cents=form.cleaned_data["amount"],
                reference=form.cleaned_data["reference"],
            )
        except FundingError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The payment is recorded."))
    else:
        for name, errors in form.errors.items():
            label = form.fields[name].label if name in form.fields else ""
            for error in errors:
                messages.error(request, f"{label}: {error}" if label else error)
    return redirect("funding:payment_plan", pk=instalment.plan.decision.application_id)
