"""The decision committee (Entscheidungsgremium): the period overview, scoring with conflicts of
interest enforced, comparing allocation policies side by side, adjusting and finalising.

Scoring is for committee members only; the overview and the allocation are open to staff too,
who prepare the meeting.
"""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from teilhabe.core import roles
from teilhabe.core.permissions import role_required
from teilhabe.funding import allocation as alloc
from teilhabe.funding import queries, services
from teilhabe.funding.forms import AdjustForm, CompareForm, ConflictForm, FinaliseForm, ReviewForm
from teilhabe.funding.models import Allocation, AllocationEntry, Application, Period

committee_required = role_required(roles.COMMITTEE_MEMBER)
committee_or_staff = role_required(roles.COMMITTEE_MEMBER, roles.STAFF)


@committee_or_staff
def periods(request: HttpRequest) -> HttpResponse:
    rows = Period.objects.select_related("programme").order_by("-applications_close")
    return render(request, "funding/committee/periods.html", {"periods": rows})


@committee_or_staff
def period(request: HttpRequest, period_pk: int) -> HttpResponse:
    item = get_object_or_404(Period.objects.select_related("programme"), pk=period_pk)
    return render(
        request,
        "funding/committee/period.html",
        {
            "period": item,
            "overview": queries.period_overview(item, request.user),
            "is_member": queries.is_committee(request.user),
            "draft": queries.draft_allocation(item),
            "final": queries.final_allocation(item),
        },
    )


def _scorable(pk: int) -> Application:
    application = get_object_or_404(
        queries.with_details(Application.objects.all()), pk=pk, status__in=queries.SCORABLE
    )
    return application


@committee_required
def review(request: HttpRequest, pk: int) -> HttpResponse:
    """Score one application. A member of the applying organisation, or one who declared a
    conflict, is refused here (403) — on GET and on a direct POST."""
    application = _scorable(pk)
    reason = queries.conflict_reason(request.user, application)
    if reason:
        if request.method == "POST":
            # Through the service, which records the conflict and refuses.
            services.review_save(
                user=request.user, application=application, points={}, recommendation=""
            )
        return render(
            request,
            "funding/committee/conflict.html",
            {"application": application, "reason": reason},
            status=403,
        )
    criteria = list(application.period.programme.criteria.all())
    existing = application.reviews.filter(reviewer=request.user).prefetch_related("scores").first()
    initial = {}
    if existing:
        initial = {"recommendation": existing.recommendation, "comment": existing.comment}
        initial.update({f"criterion_{s.criterion_id}": s.points for s in existing.scores.all()})
    form = ReviewForm(request.POST or None, criteria=criteria, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.review_save(
                user=request.user,
                application=application,
                points=form.points(),
                recommendation=form.cleaned_data["recommendation"],
                comment=form.cleaned_data["comment"],
            )
        except services.FundingError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Your review is saved."))
            return redirect("funding:committee_period", period_pk=application.period_id)
    return render(
        request,
        "funding/committee/review.html",
        {
            "application": application,
            "form": form,
            "conflict_form": ConflictForm(),
            "existing": existing,
            "decided": application.is_decided,
        },
    )


@committee_required
@require_POST
def conflict(request: HttpRequest, pk: int) -> HttpResponse:
    application = _scorable(pk)
    form = ConflictForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    services.conflict_declare(user=request.user, application=application, reason=reason)
    messages.success(
        request,
        _("Your conflict of interest with %(reference)s is recorded; you will not score it.")
        % {"reference": application.reference},
    )
    return redirect("funding:committee_period", period_pk=application.period_id)


# --- Allocation ----------------------------------------------------------------------------


DEFAULT_COMPARISON = {"by_score": "on", "max_weighted": "on", "threshold_min_score": "50"}


@committee_or_staff
def allocation_compare(request: HttpRequest, period_pk: int) -> HttpResponse:
    """GET: run the chosen policies and show them side by side. POST: adopt one of them as the
    draft allocation (recomputed on the server from the same parameters)."""
    item = get_object_or_404(Period.objects.select_related("programme"), pk=period_pk)
    final = queries.final_allocation(item)
    source = request.POST if request.method == "POST" else (request.GET or DEFAULT_COMPARISON)
    form = CompareForm(source)
    proposals: list[alloc.Proposal] = []
    rows = []
    candidates = list(queries.allocation_candidates(item))
    budget = queries.budget_left_cents(item)
    if form.is_valid() and final is None:
        policies = form.policies()
        if request.method == "POST":
            chosen = request.POST.get("chosen", "")
            try:
                draft = services.allocation_adopt(
                    user=request.user,
                    period=item,
                    chosen=int(chosen) if chosen.isdigit() else -1,
                    policies=policies,
                )
            except services.FundingError as error:
                messages.error(request, error.message)
            else:
                messages.success(request, _("The proposal is the draft allocation now."))
                return redirect("funding:allocation_draft", pk=draft.pk)
        if candidates:
            data = queries.allocation_input(candidates)
            proposals = alloc.compare(data, budget, [policy for _p, policy in policies])
            rows = _side_by_side(candidates, data, proposals)
    return render(
        request,
        "funding/committee/allocation.html",
        {
            "period": item,
            "form": form,
            "proposals": proposals,
            "rows": rows,
            "budget_cents": budget,
            "candidates": candidates,
            "final": final,
            "query": (request.GET or DEFAULT_COMPARISON),
        },
    )


def _side_by_side(candidates, data, proposals) -> list[dict]:
    """One row per application: its request and score, and per proposal what it gets and why."""
    by_id = {item.id: item for item in data}
    rows = []
    for application in candidates:
        plain = by_id[application.pk]
        rows.append(
            {
                "application": application,
                "score": plain.score,
                "requested_cents": plain.requested_cents,
                "grants": [
                    next(g for g in proposal.grants if g.application_id == application.pk)
                    for proposal in proposals
                ],
            }
        )
    rows.sort(key=lambda row: (-row["score"], row["requested_cents"], row["application"].pk))
    return rows


def _allocation(pk: int) -> Allocation:
    return get_object_or_404(Allocation.objects.select_related("period__programme"), pk=pk)


@committee_or_staff
def allocation_draft(request: HttpRequest, pk: int) -> HttpResponse:
    """The draft allocation with per-application amounts (adjustable) and, to finish, the
    minutes; a final allocation shows what was decided."""
    item = _allocation(pk)
    form = FinaliseForm(request.POST or None)
    if request.method == "POST":
        if item.status != Allocation.Status.DRAFT:
            raise Http404
        if form.is_valid():
            try:
                decisions = services.allocation_finalise(
                    user=request.user, allocation=item, minutes=form.cleaned_data["minutes"]
                )
            except services.FundingError as error:
                form.add_error(None, error.message)
                for problem in error.problems:
                    form.add_error(None, problem)
            else:
                messages.success(
                    request,
                    _("The allocation is final: %(count)s decisions; the letters are on their way.")
                    % {"count": len(decisions)},
                )
                return redirect("funding:allocation_draft", pk=item.pk)
    entries = list(
        item.entries.select_related("application__organisation").order_by("-score", "pk")
    )
    return render(
        request,
        "funding/committee/allocation_draft.html",
        {
            "allocation": item,
            "entries": entries,
            "form": form,
            "left_cents": queries.budget_left_cents(item.period),
            "problems": services.allocation_problems(item)
            if item.status == Allocation.Status.DRAFT
            else [],
        },
    )


@committee_or_staff
def allocation_adjust(request: HttpRequest, pk: int, entry_pk: int) -> HttpResponse:
    item = _allocation(pk)
    entry = get_object_or_404(
        AllocationEntry.objects.select_related("application"), pk=entry_pk, allocation=item
    )
    if item.status != Allocation.Status.DRAFT:
        messages.error(request, _("A final allocation cannot be changed."))
        return redirect("funding:allocation_draft", pk=item.pk)
    measures = list(entry.application.measures.select_related("measure_type"))
    form = AdjustForm(
        request.POST or None, measures=measures, units=entry.units, amounts=entry.amounts
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.allocation_adjust(
                user=request.user,
                entry=entry,
                units=form.units(),
                amounts=form.amounts(),
                note=form.cleaned_data["note"],
            )
        except services.FundingError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The amount is changed."))
            return redirect("funding:allocation_draft", pk=item.pk)
    return render(
        request,
        "funding/committee/adjust.html",
        {"allocation": item, "entry": entry, "form": form, "measures": measures},
    )
