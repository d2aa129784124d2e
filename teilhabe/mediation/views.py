"""Requester pages: new request, my requests, one request, cancel, confirm done.

Thin views: changes go through `services`, reads and visibility through `queries`. A request of
another institution answers 404 on GET and POST alike.
"""

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from teilhabe.core import roles
from teilhabe.core.permissions import role_required
from teilhabe.mediation import queries, services
from teilhabe.mediation.forms import CancelForm, RequestForm
from teilhabe.mediation.models import Cancellation, MediationRequest

# Staff open any request (and use the staff pages to make one); "my requests" is a requester's.
requester_required = role_required(roles.REQUESTER, roles.STAFF)
requester_only = role_required(roles.REQUESTER)


def _row(request_obj: MediationRequest, now) -> dict:
    return {
        "request_obj": request_obj,
        "mediator": queries.mediator_for_requester(request_obj, now),
        "cancellable": _cancellable(request_obj, now),
    }


def _cancellable(request_obj: MediationRequest, now) -> bool:
    return (
        request_obj.status
        in (
            *MediationRequest.OPEN_STATUSES,
            MediationRequest.Status.CONFIRMED,
            MediationRequest.Status.UNFILLED,
        )
        and now < request_obj.ends_at
    )


@requester_only
def my_requests(request: HttpRequest) -> HttpResponse:
    institution = queries.institution_of(request.user)
    now = timezone.now()
    rows = [
        _row(r, now) for r in queries.requests_for_requester(request.user).order_by("-starts_at")
    ]
    return render(
        request,
        "mediation/requester/my_requests.html",
        {
            "institution": institution,
            "coming": [row for row in rows if row["request_obj"].ends_at >= now],
            "past": [row for row in rows if row["request_obj"].ends_at < now],
        },
    )


@requester_only
def request_create(request: HttpRequest) -> HttpResponse:
    institution = queries.institution_of(request.user)
    if institution is None:
        return render(request, "mediation/requester/no_institution.html", status=403)
    form = RequestForm(request.POST or None, institution=institution)
    if request.method == "POST" and form.is_valid():
        try:
            created = services.request_create(user=request.user, data=form.request_input())
        except services.MediationError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Your request has been sent."))
            return redirect("mediation:request_detail", pk=created.pk)
    return render(
        request, "mediation/requester/request_form.html", {"form": form, "institution": institution}
    )


@requester_required
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    request_obj = queries.request_for(request.user, pk)
    now = timezone.now()
    return render(
        request,
        "mediation/requester/request_detail.html",
        {
            **_row(request_obj, now),
            "cancellations": request_obj.cancellations.all(),
            "can_confirm_done": request_obj.status == MediationRequest.Status.DONE
            and request_obj.institution_confirmed_at is None,
        },
    )


@requester_required
def request_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    request_obj = queries.request_for(request.user, pk)
    form = CancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            cancellation = services.request_cancel(
                request=request_obj, user=request.user, reason=form.cleaned_data["reason"]
            )
        except services.MediationError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _cancel_message(cancellation))
            return redirect("mediation:request_detail", pk=request_obj.pk)
    now = timezone.now()
    return render(
        request,
        "mediation/requester/cancel.html",
        {"form": form, **_row(request_obj, now), "late_hours": _late_hours()},
    )


def _late_hours() -> int:
    return settings.MEDIATION_LATE_CANCEL_HOURS


def _cancel_message(cancellation: Cancellation) -> str:
    if cancellation.late:
        return _(
            "The request is cancelled. Because it was cancelled at short notice, the mediator is "
            "paid %(amount)s € (time and travel)."
        ) % {"amount": f"{cancellation.payable_cents / 100:.2f}"}
    return _("The request is cancelled.")


@requester_required
@require_POST
def request_confirm_done(request: HttpRequest, pk: int) -> HttpResponse:
    request_obj = queries.request_for(request.user, pk)
    try:
        services.institution_confirm(request=request_obj, user=request.user)
    except services.MediationError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Thank you: the appointment is confirmed as done."))
    return redirect("mediation:request_detail", pk=request_obj.pk)
