"""The e-mails of the pool: one function per event, each to the people concerned, in their own
language, through core.notifications (a background task). Called by services after the change
is written; with the database task backend the e-mail is queued in the same transaction."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import translation

from teilhabe.core import roles
from teilhabe.core.notifications import notify
from teilhabe.mediation import ics
from teilhabe.mediation.models import Assignment, Cancellation, MediationRequest


def _url(name: str, language: str | None = None, **kwargs) -> str:
    with translation.override(language or settings.LANGUAGE_CODE):
        return settings.SITE_URL + reverse(name, kwargs=kwargs or None)


def _language(user) -> str:
    return (user.preferred_language if user else "") or settings.LANGUAGE_CODE


def _to_requester(request: MediationRequest, template: str, context: dict, **extra) -> None:
    user = request.requested_by
    if user is None or not user.is_active:
        return
    language = _language(user)
    notify(
        to=[user.email],
        template=f"mediation/email/{template}",
        context={
            "request": request,
            "requests_url": _url("mediation:my_requests", language),
            **context,
        },
        language=language,
        **extra,
    )


def _to_mediator(assignment: Assignment, template: str, context: dict, **extra) -> None:
    user = assignment.mediator.user
    if not user.is_active:
        return
    language = _language(user)
    notify(
        to=[user.email],
        template=f"mediation/email/{template}",
        context={
            "request": assignment.request,
            "assignment": assignment,
            "assignments_url": _url("mediation:my_assignments", language),
            **context,
        },
        language=language,
        **extra,
    )


def _to_staff(template: str, context: dict) -> None:
    staff = (
        get_user_model()
        .objects.filter(groups__name=roles.STAFF.group_name, is_active=True)
        .exclude(email="")
    )
    notify(
        to=sorted(set(staff.values_list("email", flat=True))),
        template=f"mediation/email/{template}",
        context=context,
    )


def request_received(request: MediationRequest) -> None:
    _to_requester(request, "request_received", {})


def offer_made(assignment: Assignment, token: str) -> None:
    language = _language(assignment.mediator.user)
    _to_mediator(
        assignment,
        "offer",
        {
            "accept_url": _url("mediation:offer_answer", language, token=token, answer="accept"),
            "decline_url": _url("mediation:offer_answer", language, token=token, answer="decline"),
        },
    )


def _ics_attachment(assignment: Assignment, *, for_mediator: bool, cancelled: bool = False):
    return [
        (
            ics.FILENAME,
            ics.appointment_ics(assignment, for_mediator=for_mediator, cancelled=cancelled),
            ics.MIME,
        )
    ]


def confirmed(assignment: Assignment) -> None:
    """Both sides, each with an .ics file in their own language."""
    with translation.override(_language(assignment.mediator.user)):
        mediator_ics = _ics_attachment(assignment, for_mediator=True)
    _to_mediator(assignment, "confirmed_mediator", {}, attachments=mediator_ics)
    request = assignment.request
    with translation.override(_language(request.requested_by)):
        requester_ics = _ics_attachment(assignment, for_mediator=False)
    _to_requester(
        request,
        "confirmed_requester",
        {
            "mediator_first_name": assignment.mediator.first_name,
            "mediator_contact": assignment.mediator.contact(),
        },
        attachments=requester_ics,
    )


def unfilled(request: MediationRequest) -> None:
    _to_requester(request, "unfilled", {})
    _to_staff("unfilled_staff", {"request": request})


def offer_withdrawn(assignment: Assignment) -> None:
    _to_mediator(assignment, "offer_withdrawn", {})


def cancelled(assignment: Assignment | None, request: MediationRequest, cancellation: Cancellation):
    """Tell the side that did not cancel (both when staff cancelled)."""
    booked = assignment is not None and assignment.confirmed_at is not None
    if assignment is not None and cancellation.by != Cancellation.By.MEDIATOR:
        extra = {}
        if booked:
            with translation.override(_language(assignment.mediator.user)):
                extra["attachments"] = _ics_attachment(
                    assignment, for_mediator=True, cancelled=True
                )
        _to_mediator(
            assignment,
            "cancelled_mediator",
            {"cancellation": cancellation, "booked": booked},
            **extra,
        )
    if cancellation.by == Cancellation.By.MEDIATOR:
        _to_requester(request, "mediator_cancelled", {"cancellation": cancellation})
    elif cancellation.by == Cancellation.By.STAFF:
        _to_requester(request, "cancelled_requester", {"cancellation": cancellation})


def reminder(assignment: Assignment) -> None:
    _to_mediator(assignment, "reminder_mediator", {})
    _to_requester(
        assignment.request,
        "reminder_requester",
        {
            "mediator_first_name": assignment.mediator.first_name,
            "mediator_contact": assignment.mediator.contact(),
        },
    )


def reported_done(assignment: Assignment) -> None:
    _to_requester(assignment.request, "done", {})
