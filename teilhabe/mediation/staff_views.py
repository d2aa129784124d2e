"""Staff pages: requests with filters, one request with the ranked candidates (send an offer),
a new request (with the lead-time override), the batch proposal (period → solve → review → send
all), mediators list and detail (each read of a mediator's record is logged)."""

from datetime import timedelta

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from teilhabe.core.permissions import staff_required
from teilhabe.mediation import queries, reasons, services
from teilhabe.mediation.forms import (
    BatchForm,
    StaffMediatorFilter,
    StaffRequestFilter,
    StaffRequestForm,
)
from teilhabe.mediation.models import (
    Assignment,
    BatchProposal,
    MediationRequest,
    MediatorProfile,
)

PAGE_SIZE = 50


def _posted_pk(request: HttpRequest, name: str) -> int:
    value = request.POST.get(name, "")
    if not value.isdigit():
        raise Http404
    return int(value)


@staff_required
def staff_requests(request: HttpRequest) -> HttpResponse:
    filters = StaffRequestFilter(request.GET or None)
    criteria = filters.cleaned_data if filters.is_valid() else {}
    queryset = queries.staff_requests(
        status=criteria.get("status", ""),
        language_id=criteria["language"].pk if criteria.get("language") else None,
        institution_id=criteria["institution"].pk if criteria.get("institution") else None,
        first_day=criteria.get("first_day"),
        last_day=criteria.get("last_day"),
    ).order_by("starts_at")
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "mediation/staff/requests.html",
        {"filters": filters, "page": page, "query": query.urlencode()},
    )


@staff_required
def staff_request(request: HttpRequest, pk: int) -> HttpResponse:
    request_obj = get_object_or_404(
        MediationRequest.objects.select_related("language", "institution", "place__district"),
        pk=pk,
    )
    if request.method == "POST":
        mediator = get_object_or_404(MediatorProfile, pk=_posted_pk(request, "mediator"))
        try:
            services.offer_send(request=request_obj, mediator=mediator, actor=request.user)
        except services.MediationError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request, _("The offer has been sent to %(name)s.") % {"name": mediator}
            )
        return redirect("mediation:staff_request", pk=request_obj.pk)
    ranked = services.candidates(request_obj)
    profiles = MediatorProfile.objects.select_related("user").in_bulk(
        [c.mediator_id for c in ranked]
    )
    asked = set(request_obj.assignments.values_list("mediator_id", flat=True))
    rows = [
        {
            "candidate": c,
            "mediator": profiles[c.mediator_id],
            "reasons": reasons.shown(c, request_obj.setting),
            "asked": c.mediator_id in asked,
        }
        for c in ranked
        if c.mediator_id in profiles
    ]
    can_offer = (
        request_obj.status
        in (
            MediationRequest.Status.REQUESTED,
            MediationRequest.Status.UNFILLED,
        )
        and request_obj.starts_at > timezone.now()
    )
    return render(
        request,
        "mediation/staff/request.html",
        {
            "request_obj": request_obj,
            "rows": rows,
            "can_offer": can_offer,
            "assignments": request_obj.assignments.select_related("mediator__user").order_by(
                "offered_at"
            ),
            "cancellations": request_obj.cancellations.all(),
        },
    )


@staff_required
def staff_request_create(request: HttpRequest) -> HttpResponse:
    form = StaffRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            created = services.request_create(
                user=request.user,
                data=form.request_input(),
                institution=form.cleaned_data["institution"],
                lead_time_override=form.cleaned_data["lead_time_override"],
            )
        except services.MediationError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The request has been created."))
            return redirect("mediation:staff_request", pk=created.pk)
    return render(request, "mediation/staff/request_form.html", {"form": form})


@staff_required
def batch(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    initial = {"first_day": today, "last_day": today + timedelta(days=7)}
    form = BatchForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            proposal = services.batch_propose(
                user=request.user,
                first_day=form.cleaned_data["first_day"],
                last_day=form.cleaned_data["last_day"],
            )
        except services.MediationError as error:
            form.add_error(None, str(error))
        else:
            return redirect("mediation:batch_detail", pk=proposal.pk)
    return render(
        request,
        "mediation/staff/batch.html",
        {"form": form, "recent": BatchProposal.objects.all()[:10]},
    )


@staff_required
def batch_detail(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = get_object_or_404(BatchProposal, pk=pk)
    if request.method == "POST":
        try:
            sent, skipped = services.batch_send(proposal=proposal, user=request.user)
        except services.MediationError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                _(
                    "%(sent)s offers sent, %(skipped)s skipped because the request or the mediator "
                    "changed meanwhile."
                )
                % {"sent": sent, "skipped": skipped},
            )
        return redirect("mediation:batch_detail", pk=proposal.pk)
    items = proposal.items.select_related(
        "request__language", "request__institution", "mediator__user"
    ).order_by("request__starts_at")
    assigned = {item.request_id for item in items}
    unassigned = (
        MediationRequest.objects.filter(
            status__in=[MediationRequest.Status.REQUESTED, MediationRequest.Status.UNFILLED],
            starts_at__date__gte=proposal.period_start,
            starts_at__date__lte=proposal.period_end,
        )
        .exclude(pk__in=assigned)
        .select_related("language", "institution")
        if proposal.status == BatchProposal.Status.PROPOSED
        else MediationRequest.objects.none()
    )
    return render(
        request,
        "mediation/staff/batch_detail.html",
        {"proposal": proposal, "items": items, "unassigned": unassigned},
    )


@staff_required
def staff_mediators(request: HttpRequest) -> HttpResponse:
    filters = StaffMediatorFilter(request.GET or None)
    criteria = filters.cleaned_data if filters.is_valid() else {}
    queryset = queries.staff_mediators(
        status=criteria.get("status", ""),
        language_id=criteria["language"].pk if criteria.get("language") else None,
        q=criteria.get("q", ""),
    )
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "mediation/staff/mediators.html",
        {"filters": filters, "page": page, "query": query.urlencode()},
    )


@staff_required
def staff_mediator(request: HttpRequest, pk: int) -> HttpResponse:
    mediator = get_object_or_404(
        MediatorProfile.objects.select_related("user", "home_district").prefetch_related(
            "languages__language", "windows", "absences", "districts"
        ),
        pk=pk,
    )
    services.mediator_record_read(actor=request.user, mediator=mediator, view="staff_mediator")
    assignments = (
        Assignment.objects.filter(mediator=mediator)
        .select_related("request__language", "request__institution")
        .order_by("-blocked_start")[:30]
    )
    return render(
        request,
        "mediation/staff/mediator.html",
        {
            "mediator": mediator,
            "assignments": assignments,
            "reads": mediator.record_reads.select_related("actor")[:10],
        },
    )


@staff_required
@require_POST
def staff_mediator_leave(request: HttpRequest, pk: int) -> HttpResponse:
    mediator = get_object_or_404(MediatorProfile, pk=pk)
    if mediator.status == MediatorProfile.Status.LEFT:
        messages.error(request, _("This mediator has already left."))
    else:
        services.mediator_leave(mediator=mediator, user=request.user)
        messages.success(
            request, _("The mediator has left the pool; coming appointments are offered to others.")
        )
    return redirect("mediation:staff_mediator", pk=mediator.pk)


@staff_required
@require_POST
def staff_request_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    request_obj = get_object_or_404(MediationRequest, pk=pk)
    reason = request.POST.get("reason", "")
    try:
        services.request_cancel(request=request_obj, user=request.user, reason=reason)
    except services.MediationError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The request is cancelled."))
    return redirect("mediation:staff_request", pk=request_obj.pk)
