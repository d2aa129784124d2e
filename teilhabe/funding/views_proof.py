"""Proof of use pages: the organisation's grants and proof form with receipts; staff's list of
proofs, the check, and repayments against claims.

Thin views: changes go through proof_services; another organisation's grant answers 404 on GET
and on POST (and the services refuse it too).
"""

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from teilhabe.core import roles
from teilhabe.core.permissions import login_required, role_required, staff_required
from teilhabe.funding import payment_services, proof_services, queries
from teilhabe.funding.forms_proof import ProofCheckForm, ProofForm, ReceiptForm, RepaymentForm
from teilhabe.funding.models import Application, ProofOfUse, ProofReceipt, RepaymentClaim
from teilhabe.funding.services import FundingError

member_required = role_required(roles.ORGANISATION_MEMBER)


def _show_error(request: HttpRequest, error: FundingError) -> None:
    messages.error(request, error.message)
    for problem in error.problems:
        messages.error(request, problem)


def _application(pk: int) -> Application:
    return get_object_or_404(
        Application.objects.select_related("period__programme", "organisation", "decision"), pk=pk
    )


def _own_grant(user, pk: int) -> Application:
    """The grant if the user acts for its organisation and it was approved, else 404."""
    application = _application(pk)
    if not queries.acts_for(user, application.organisation_id):
        raise Http404
    if not proof_services.is_granted(application):
        raise Http404
    return application


def _grant_context(application: Application) -> dict:
    """What both the organisation and staff see of a grant: payments, proof, claim."""
    proof = proof_services.proof_of(application)
    plan = payment_services.plan_of(application.decision)
    return {
        "application": application,
        "decision": application.decision,
        "proof": proof,
        "lines": list(proof.lines.select_related("measure__measure_type")) if proof else [],
        "receipts": list(proof.receipts.all()) if proof else [],
        "claim": proof_services.claim_of(proof),
        "checks": list(proof.checks.select_related("checked_by")) if proof else [],
        "measures": proof_services.funded_measures(application),
        "plan": plan,
        "instalments": payment_services.instalments_of(plan),
        "due_on": proof_services.due_on(application),
        "today": timezone.localdate(),
    }


# --- The organisation -----------------------------------------------------------------------


@member_required
def my_grants(request: HttpRequest) -> HttpResponse:
    grants = list(proof_services.grants_of_member(request.user))
    return render(
        request,
        "funding/proof/grants.html",
        {
            "rows": [(a, proof_services.due_on(a)) for a in grants],
            "today": timezone.localdate(),
        },
    )


@member_required
def proof(request: HttpRequest, pk: int) -> HttpResponse:
    application = _own_grant(request.user, pk)
    context = _grant_context(application)
    existing = context["proof"]
    editable = existing is None or existing.is_editable
    form = None
    status = 200
    if editable:
        initial = ProofForm.initial_for(existing, context["lines"]) if existing else {}
        form = ProofForm(request.POST or None, measures=context["measures"], initial=initial)
        if request.method == "POST":
            if form.is_valid():
                try:
                    proof_services.proof_save(
                        user=request.user,
                        application=application,
                        report=form.cleaned_data["report"] or "",
                        participants=form.cleaned_data["participants"] or 0,
                        lines=form.lines(),
                    )
                    if "submit" in request.POST:
                        proof_services.proof_submit(user=request.user, application=application)
                except proof_services.LinesInvalid as error:
                    form.add_problems(error.errors)
                    status = 400
                except FundingError as error:
                    # On "submit" the figures are saved; the messages say what is missing.
                    _show_error(request, error)
                    return redirect("funding:proof", pk=application.pk)
                else:
                    if "submit" in request.POST:
                        messages.success(request, _("The proof of use is submitted."))
                    else:
                        messages.success(request, _("The proof of use is saved as a draft."))
                    return redirect("funding:proof", pk=application.pk)
            else:
                status = 400
    elif request.method == "POST":
        messages.error(request, _("The proof of use has been submitted and cannot be changed now."))
        return redirect("funding:proof", pk=application.pk)
    problems = (
        proof_services.submission_problems(existing) if existing and existing.is_editable else []
    )
    return render(
        request,
        "funding/proof/proof.html",
        {
            **context,
            "form": form,
            "upload_form": ReceiptForm() if editable else None,
            "problems": problems,
        },
        status=status,
    )


@member_required
@require_POST
def receipt_upload(request: HttpRequest, pk: int) -> HttpResponse:
    application = _own_grant(request.user, pk)
    form = ReceiptForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            proof_services.receipt_add(
                user=request.user,
                application=application,
                upload=form.cleaned_data["file"],
                kind=form.cleaned_data["kind"],
            )
        except FundingError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The document is attached."))
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect("funding:proof", pk=application.pk)


@member_required
@require_POST
def receipt_delete(request: HttpRequest, receipt_pk: int) -> HttpResponse:
    receipt = get_object_or_404(
        ProofReceipt.objects.select_related("proof__application"), pk=receipt_pk
    )
    application = _own_grant(request.user, receipt.proof.application_id)
    try:
        proof_services.receipt_delete(user=request.user, receipt=receipt)
    except FundingError as error:
        _show_error(request, error)
    else:
        messages.success(request, _("The document is removed."))
    return redirect("funding:proof", pk=application.pk)


@login_required
def receipt_download(request: HttpRequest, receipt_pk: int) -> FileResponse:
    """Served only to the organisation and to staff, never as public media."""
    receipt = get_object_or_404(
        ProofReceipt.objects.select_related("proof__application"), pk=receipt_pk
    )
    if not proof_services.can_read_proof(request.user, receipt.proof.application):
        raise Http404
    try:
        handle = receipt.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(
        handle,
        as_attachment=True,
        filename=receipt.original_name,
        content_type=receipt.content_type,
    )


# --- Staff ---------------------------------------------------------------------------------


@staff_required
def staff_proofs(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", ProofOfUse.Status.SUBMITTED)
    if status not in ProofOfUse.Status.values:
        status = ""
    return render(
        request,
        "funding/proof/staff_list.html",
        {
            "proofs": proof_services.staff_proofs(status=status or None)[:200],
            "status": status,
            "statuses": [(v, label) for v, label in ProofOfUse.Status.choices if v != "draft"],
            "overdue": proof_services.overdue_grants()[:200],
            "claims": proof_services.claims_open()[:200],
        },
    )


def _granted_for_staff(pk: int) -> Application:
    application = _application(pk)
    if not proof_services.is_granted(application):
        raise Http404
    return application


@staff_required
def staff_proof(request: HttpRequest, pk: int) -> HttpResponse:
    application = _granted_for_staff(pk)
    form = ProofCheckForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                proof_services.proof_check(
                    user=request.user,
                    application=application,
                    outcome=form.cleaned_data["outcome"],
                    note=form.cleaned_data["note"],
                )
            except FundingError as error:
                form.add_error(None, error.message)
                status = 400
            else:
                messages.success(request, _("The check of the proof of use is recorded."))
                return redirect("funding:staff_proof", pk=application.pk)
        else:
            status = 400
    return render(
        request,
        "funding/proof/staff_proof.html",
        {**_grant_context(application), "form": form, "repayment_form": RepaymentForm()},
        status=status,
    )


@staff_required
@require_POST
def claim_repayment(request: HttpRequest, claim_pk: int) -> HttpResponse:
    claim = get_object_or_404(RepaymentClaim.objects.select_related("proof"), pk=claim_pk)
    form = RepaymentForm(request.POST)
    if form.is_valid():
        try:
            proof_services.repayment_record(
                user=request.user,
                claim=claim,
                received_on=form.cleaned_data["received_on"],
                amount_cents=form.cleaned_data["amount"],
                reference=form.cleaned_data["reference"],
            )
        except FundingError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The repayment is recorded."))
    else:
        for name, errors in form.errors.items():
            label = form.fields[name].label if name in form.fields else ""
            for error in errors:
                messages.error(request, f"{label}: {error}" if label else error)
    return redirect("funding:staff_proof", pk=claim.proof.application_id)
