"""Mediator pages: my profile and availability, my offers (accept/decline), my assignments,
report done, give back an appointment; and the e-mailed one-click answer page.

A mediator sees only their own assignments: another's answers 404 on GET and POST.
"""

from django.contrib import messages
from django.core import signing
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from teilhabe.core import roles
from teilhabe.core.permissions import role_required
from teilhabe.mediation import queries, services
from teilhabe.mediation.forms import (
    AbsenceFormSet,
    CancelForm,
    MediatorProfileForm,
    ReportForm,
    WindowFormSet,
)
from teilhabe.mediation.models import Assignment

mediator_required = role_required(roles.MEDIATOR)
ANSWERS = ("accept", "decline")


def _profile_or_page(request: HttpRequest):
    profile = queries.mediator_of(request.user)
    if profile is None:
        return None, render(request, "mediation/mediator/no_profile.html", status=403)
    return profile, None


@mediator_required
def my_profile(request: HttpRequest) -> HttpResponse:
    profile, page = _profile_or_page(request)
    if page:
        return page
    form = MediatorProfileForm(request.POST or None, instance=profile, prefix="profile")
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your profile is saved."))
        return redirect("mediation:my_profile")
    return render(
        request,
        "mediation/mediator/profile.html",
        {"form": form, "profile": profile, "languages": profile.languages.all()},
    )


@mediator_required
def my_availability(request: HttpRequest) -> HttpResponse:
    profile, page = _profile_or_page(request)
    if page:
        return page
    data = request.POST if request.method == "POST" else None
    windows = WindowFormSet(data, instance=profile, prefix="windows")
    absences = AbsenceFormSet(data, instance=profile, prefix="absences")
    if data is not None and windows.is_valid() and absences.is_valid():
        with transaction.atomic():
            windows.save()
            absences.save()
        messages.success(request, _("Your availability is saved."))
        return redirect("mediation:my_availability")
    return render(
        request,
        "mediation/mediator/availability.html",
        {"windows": windows, "absences": absences, "has_errors": data is not None},
    )


@mediator_required
def my_offers(request: HttpRequest) -> HttpResponse:
    offers = queries.open_offers(request.user).order_by("request__starts_at")
    return render(request, "mediation/mediator/offers.html", {"offers": offers})


def _answer(request: HttpRequest, assignment: Assignment, answer: str, *, user) -> bool:
    """Accept or decline; a message for the user either way. True when it worked."""
    try:
        if answer == "accept":
            services.offer_accept(assignment=assignment, user=user)
            messages.success(
                request,
                _("Thank you! The appointment is confirmed; the details are in your e-mail."),
            )
        else:
            services.offer_decline(assignment=assignment, user=user)
            messages.success(request, _("You have declined the offer. Thank you for answering."))
    except services.MediationError as error:
        messages.error(request, str(error))
        return False
    return True


@mediator_required
@require_POST
def offer_accept(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = queries.assignment_for_mediator(request.user, pk)
    _answer(request, assignment, "accept", user=request.user)
    return redirect("mediation:my_offers")


@mediator_required
@require_POST
def offer_decline(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = queries.assignment_for_mediator(request.user, pk)
    _answer(request, assignment, "decline", user=request.user)
    return redirect("mediation:my_offers")


def offer_answer(request: HttpRequest, token: str, answer: str) -> HttpResponse:
    """The e-mailed link: GET shows the offer and one button; only the POST answers (e-mail
    scanners open links, so opening must change nothing). The signed token is the key."""
    if answer not in ANSWERS:
        raise Http404
    try:
        assignment = services.assignment_for_token(token)
    except (signing.BadSignature, Assignment.DoesNotExist):
        return render(request, "mediation/mediator/answer_invalid.html", status=400)
    context = {"assignment": assignment, "request_obj": assignment.request, "answer": answer}
    if (
        assignment.status != Assignment.Status.OFFERED
        or timezone.now() > assignment.answer_deadline
    ):
        return render(request, "mediation/mediator/answer_closed.html", context, status=410)
    if request.method == "POST":
        if _answer(request, assignment, answer, user=None):
            assignment.refresh_from_db()
            return render(request, "mediation/mediator/answer_done.html", context)
        return render(request, "mediation/mediator/answer.html", context, status=409)
    return render(request, "mediation/mediator/answer.html", context)


@mediator_required
def my_assignments(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    assignments = queries.assignments_for_mediator(request.user).filter(
        status__in=[Assignment.Status.CONFIRMED, Assignment.Status.DONE]
    )
    return render(
        request,
        "mediation/mediator/assignments.html",
        {
            "coming": assignments.filter(request__ends_at__gte=now).order_by("request__starts_at"),
            "to_report": assignments.filter(
                status=Assignment.Status.CONFIRMED, request__starts_at__lte=now
            ).order_by("request__starts_at"),
            "done": assignments.filter(status=Assignment.Status.DONE).order_by(
                "-request__starts_at"
            )[:50],
            "now": now,
        },
    )


@mediator_required
def assignment_report(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = queries.assignment_for_mediator(request.user, pk)
    initial = {"actual_minutes": assignment.request.duration_minutes}
    form = ReportForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.report_done(
                assignment=assignment,
                user=request.user,
                actual_minutes=form.cleaned_data["actual_minutes"],
                travel_km=form.cleaned_data["travel_km"],
                ticket_cents=form.ticket_cents,
            )
        except services.MediationError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Thank you! The appointment is reported as done."))
            return redirect("mediation:my_assignments")
    return render(
        request,
        "mediation/mediator/report.html",
        {"form": form, "assignment": assignment, "request_obj": assignment.request},
    )


@mediator_required
def assignment_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = queries.assignment_for_mediator(request.user, pk)
    form = CancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.assignment_cancel_by_mediator(
                assignment=assignment, user=request.user, reason=form.cleaned_data["reason"]
            )
        except services.MediationError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request, _("You have given back the appointment. We will look for someone else.")
            )
            return redirect("mediation:my_assignments")
    return render(
        request,
        "mediation/mediator/cancel.html",
        {"form": form, "assignment": assignment, "request_obj": assignment.request},
    )
