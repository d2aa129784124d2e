"""Everything that changes the funding module's state: profiles, applications and their measures
and documents, the formal check, committee reviews, allocation, decisions and letters.

Each function checks who acts (PermissionDenied), what state allows it (FundingError with a
message for the person) and runs in a transaction. Approvals reserve money from their period
with the period row locked (see `_reserve_budget`), so the budget holds whatever the timing.
"""

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from teilhabe.core.models import Organisation
from teilhabe.core.notifications import notify
from teilhabe.funding import allocation as alloc
from teilhabe.funding import pdf, queries, uploads
from teilhabe.funding.models import (
    Allocation,
    AllocationEntry,
    Application,
    Attachment,
    BankDataRead,
    ConflictOfInterest,
    Decision,
    FormalCheck,
    FundingProfile,
    Measure,
    MeasureType,
    Period,
    Review,
    ReviewCriterion,
    Score,
)
from teilhabe.funding.money import format_euro


class FundingError(ValueError):
    """The step is not possible now; the message (in the person's language) says why."""

    def __init__(self, message: str, problems: Iterable[str] = ()):
        super().__init__(message)
        self.message = message
        self.problems = list(problems)


class WindowClosed(FundingError):
    pass


class BudgetExceeded(FundingError):
    pass


class ConflictOfInterestError(PermissionDenied):
    """A committee member may not score this application (acts for the applicant, or declared)."""


# --- Profiles and bank data ----------------------------------------------------------------


def _require_member(user, organisation_id: int) -> None:
    if not queries.acts_for(user, organisation_id):
        raise PermissionDenied


PROFILE_FIELDS = (
    "legal_form",
    "register_number",
    "account_holder",
    "bic",
    "contact_name",
    "contact_email",
    "contact_phone",
)


@transaction.atomic
def profile_save(*, user, organisation: Organisation, data: dict) -> FundingProfile:
    """Save an organisation's funding profile. An empty `iban` keeps the stored one (the
    organisation never sees it again in full); the form has validated it with schwifty."""
    _require_member(user, organisation.pk)
    profile, _created = FundingProfile.objects.select_for_update().get_or_create(
        organisation=organisation
    )
    for name in PROFILE_FIELDS:
        if name in data:
            setattr(profile, name, data[name] or "")
    if data.get("iban"):
        profile.iban = data["iban"]
    profile.save()
    return profile


def profile_for(organisation: Organisation) -> FundingProfile:
    return FundingProfile.objects.filter(organisation=organisation).first() or FundingProfile(
        organisation=organisation
    )


def bank_data_read(*, user, organisation: Organisation, context: str) -> FundingProfile:
    """Staff read an organisation's bank data; the read is recorded (without the data)."""
    if not queries.is_staff(user):
        raise PermissionDenied
    BankDataRead.objects.create(reader=user, organisation=organisation, context=context[:200])
    return profile_for(organisation)


def profile_problems(profile: FundingProfile) -> list[str]:
    problems = []
    if not profile.pk or not profile.has_bank_account:
        problems.append(_("The organisation profile needs a bank account (IBAN and holder)."))
    if not profile.pk or not (profile.contact_name and profile.contact_email):
        problems.append(_("The organisation profile needs a contact person with an e-mail."))
    return problems


# --- Applications and their measures -------------------------------------------------------


def _locked_application(application: Application) -> Application:
    return (
        Application.objects.select_for_update()
        .select_related("period__programme", "organisation")
        .get(pk=application.pk)
    )


def _require_editable(user, application: Application) -> Application:
    _require_member(user, application.organisation_id)
    locked = _locked_application(application)
    if not locked.is_editable:
        raise FundingError(_("This application has been submitted and cannot be changed now."))
    return locked


def window_problem(period: Period, now: datetime | None = None) -> str | None:
    now = now or timezone.now()
    if now < period.applications_open:
        return _("Applications for %(period)s open on %(date)s.") % {
            "period": period,
            "date": timezone.localtime(period.applications_open).strftime("%d.%m.%Y %H:%M"),
        }
    if now >= period.applications_close:
        return _("Applications for %(period)s closed on %(date)s.") % {
            "period": period,
            "date": timezone.localtime(period.applications_close).strftime("%d.%m.%Y %H:%M"),
        }
    return None


@transaction.atomic
def application_start(
    *,
    user,
    period: Period,
    organisation: Organisation,
    title: str,
    now: datetime | None = None,
) -> Application:
    """A new draft. Only while the period's application window is open."""
    _require_member(user, organisation.pk)
    if problem := window_problem(period, now):
        raise WindowClosed(problem)
    return Application.objects.create(
        period=period,
        organisation=organisation,
        title=title.strip(),
        created_by=user,
        small_organisation=organisation.is_small,
    )


@transaction.atomic
def application_update(
    *, user, application: Application, title: str, summary: str, action_fields: Iterable
) -> Application:
    application = _require_editable(user, application)
    application.title = title.strip()
    application.summary = summary.strip()
    application.save(update_fields=["title", "summary", "updated_at"])
    application.action_fields.set(action_fields)
    return application


@dataclass(frozen=True, kw_only=True)
class MeasureData:
    """What the organisation enters for one measure (amounts in cents)."""

    measure_type: MeasureType
    title: str
    description: str = ""
    units: int = 0
    total_cost_cents: int = 0
    own_contribution_cents: int = 0
    starts_on: object = None
    ends_on: object = None
    expected_participants: int = 0
    districts: tuple = ()
    target_groups: tuple = ()


def minimum_own_contribution_cents(measure_type: MeasureType, total_cost_cents: int) -> int:
    return math.ceil(total_cost_cents * measure_type.own_share_percent / 100)


def requested_for(data: MeasureData) -> int:
    """The amount a measure asks for: units × flat rate, or costs minus own contribution."""
    if data.measure_type.is_flat_rate:
        return data.units * data.measure_type.unit_cents
    return max(data.total_cost_cents - data.own_contribution_cents, 0)


def measure_problems(application: Application, data: MeasureData) -> dict[str, str]:
    """Field → message for every rule of the measure type the data breaks ({} when valid)."""
    problems: dict[str, str] = {}
    measure_type = data.measure_type
    if measure_type.programme_id != application.period.programme_id or not measure_type.is_active:
        problems["measure_type"] = _("This measure type is not part of the programme.")
    elif not measure_type.is_eligible(application.organisation.kind):
        problems["measure_type"] = _(
            "Organisations of the kind “%(kind)s” cannot apply for this measure type."
        ) % {"kind": application.organisation.get_kind_display()}
    if measure_type.is_flat_rate:
        if data.units < 1:
            problems["units"] = _("Enter at least one unit.")
        elif measure_type.max_units and data.units > measure_type.max_units:
            problems["units"] = _("At most %(max)s units per application.") % {
                "max": measure_type.max_units
            }
    else:
        if data.total_cost_cents <= 0:
            problems["total_cost"] = _("Enter the total costs of the measure.")
        if data.own_contribution_cents > data.total_cost_cents:
            problems["own_contribution"] = _("The own contribution cannot exceed the costs.")
        minimum = minimum_own_contribution_cents(measure_type, data.total_cost_cents)
        if data.own_contribution_cents < minimum:
            problems["own_contribution"] = _(
                "The own contribution must be at least %(percent)s %% of the costs (%(amount)s)."
            ) % {"percent": measure_type.own_share_percent, "amount": format_euro(minimum)}
        requested = requested_for(data)
        if measure_type.max_amount_cents and requested > measure_type.max_amount_cents:
            problems["total_cost"] = _(
                "This measure type funds at most %(amount)s; %(requested)s requested."
            ) % {
                "amount": format_euro(measure_type.max_amount_cents),
                "requested": format_euro(requested),
            }
    if data.starts_on and data.ends_on and data.ends_on < data.starts_on:
        problems["ends_on"] = _("The end date is before the start date.")
    period = application.period
    if period.starts_on and data.starts_on and data.starts_on < period.starts_on:
        problems["starts_on"] = _("The funding period starts on %(date)s.") % {
            "date": period.starts_on.strftime("%d.%m.%Y")
        }
    if period.ends_on and data.ends_on and data.ends_on > period.ends_on:
        problems["ends_on"] = _("The funding period ends on %(date)s.") % {
            "date": period.ends_on.strftime("%d.%m.%Y")
        }
    return problems


class MeasureInvalid(FundingError):
    def __init__(self, errors: dict[str, str]):
        super().__init__(_("The measure breaks a rule of its measure type."), errors.values())
        self.errors = errors


def _refresh_requested(application: Application) -> None:
    total = application.measures.aggregate(total=Sum("requested_cents"))["total"] or 0
    Application.objects.filter(pk=application.pk).update(
        requested_cents=total, updated_at=timezone.now()
    )
    application.requested_cents = total


@transaction.atomic
def measure_save(
    *, user, application: Application, data: MeasureData, measure: Measure | None = None
) -> Measure:
    """Add or change a measure; the requested amount follows from the flat rate or the costs."""
    application = _require_editable(user, application)
    if measure is not None and measure.application_id != application.pk:
        raise PermissionDenied
    if errors := measure_problems(application, data):
        raise MeasureInvalid(errors)
    measure = measure or Measure(application=application)
    flat = data.measure_type.is_flat_rate
    measure.measure_type = data.measure_type
    measure.title = data.title.strip()
    measure.description = data.description.strip()
    measure.units = data.units if flat else 0
    measure.unit_cents = data.measure_type.unit_cents if flat else 0
    measure.total_cost_cents = 0 if flat else data.total_cost_cents
    measure.own_contribution_cents = 0 if flat else data.own_contribution_cents
    measure.requested_cents = requested_for(data)
    measure.starts_on = data.starts_on
    measure.ends_on = data.ends_on
    measure.expected_participants = data.expected_participants
    if measure.pk is None:
        measure.sort_order = application.measures.count() + 1
    measure.save()
    measure.districts.set(data.districts)
    measure.target_groups.set(data.target_groups)
    _refresh_requested(application)
    return measure


@transaction.atomic
def measure_delete(*, user, application: Application, measure: Measure) -> None:
    application = _require_editable(user, application)
    if measure.application_id != application.pk:
        raise PermissionDenied
    measure.delete()
    _refresh_requested(application)


@transaction.atomic
def attachment_add(
    *, user, application: Application, upload: UploadedFile, kind: str
) -> Attachment:
    """Store a PDF, PNG or JPEG (judged by its content, not its name) of at most the configured
    size. The stored name is random; the original name is kept for display only."""
    application = _require_editable(user, application)
    if upload.size > settings.FUNDING_UPLOAD_MAX_BYTES:
        raise FundingError(
            _("The file is too large: at most %(mb)s MB.")
            % {"mb": settings.FUNDING_UPLOAD_MAX_BYTES // (1024 * 1024)}
        )
    if upload.size == 0:
        raise FundingError(_("The file is empty."))
    if application.attachments.count() >= settings.FUNDING_UPLOADS_PER_APPLICATION:
        raise FundingError(_("This application has the maximum number of documents."))
    upload.seek(0)
    sniffed = uploads.sniff(upload.read(16))
    upload.seek(0)
    if sniffed is None:
        raise FundingError(_("Only PDF, PNG and JPEG files can be attached."))
    mimetype, suffix = sniffed
    attachment = Attachment(
        application=application,
        kind=kind if kind in Attachment.Kind.values else Attachment.Kind.OTHER,
        original_name=uploads.safe_name(upload.name or f"document{suffix}"),
        content_type=mimetype,
        size=upload.size,
        uploaded_by=user,
    )
    attachment.file.save(f"upload{suffix}", upload, save=False)
    attachment.save()
    return attachment


@transaction.atomic
def attachment_delete(*, user, attachment: Attachment) -> None:
    _require_editable(user, attachment.application)
    stored = attachment.file
    attachment.delete()
    # The file goes once the row is gone for good.
    transaction.on_commit(lambda: stored.storage.delete(stored.name))


def submission_problems(application: Application) -> list[str]:
    """Everything that keeps the application from being submitted ([] when complete)."""
    problems = profile_problems(profile_for(application.organisation))
    measures = list(
        application.measures.select_related("measure_type").prefetch_related(
            "districts", "target_groups"
        )
    )
    if not measures:
        problems.append(_("Add at least one measure."))
    if not application.action_fields.exists():
        problems.append(_("Choose at least one field of action (Handlungsfeld)."))
    if not application.summary.strip():
        problems.append(_("Describe the project in a few sentences."))
    for measure in measures:
        data = MeasureData(
            measure_type=measure.measure_type,
            title=measure.title,
            units=measure.units,
            total_cost_cents=measure.total_cost_cents,
            own_contribution_cents=measure.own_contribution_cents,
            starts_on=measure.starts_on,
            ends_on=measure.ends_on,
        )
        for message in measure_problems(application, data).values():
            problems.append(f"{measure.title}: {message}")
        if (
            measure.measure_type.is_flat_rate
            and measure.unit_cents != measure.measure_type.unit_cents
        ):
            problems.append(
                _("%(title)s: the flat rate has changed; please save the measure again.")
                % {"title": measure.title}
            )
    return problems


def _recipients(application: Application) -> list[str]:
    profile = profile_for(application.organisation)
    addresses = [profile.contact_email, getattr(application.submitted_by, "email", "")]
    return list(dict.fromkeys(address for address in addresses if address))


def _language_of(application: Application) -> str:
    user = application.submitted_by or application.created_by
    return (getattr(user, "preferred_language", "") or settings.LANGUAGE_CODE)[:10]


@transaction.atomic
def application_submit(
    *, user, application: Application, now: datetime | None = None
) -> Application:
    """Draft (or sent back for more information) → submitted, then locked. A first submission
    needs the window open; a supplement may come later. Receipt e-mail with the PDF summary."""
    now = now or timezone.now()
    application = _require_editable(user, application)
    resubmission = application.status == Application.Status.INFO_REQUESTED
    if not resubmission and (problem := window_problem(application.period, now)):
        raise WindowClosed(problem)
    if problems := submission_problems(application):
        raise FundingError(_("The application is not complete yet."), problems)
    application.status = Application.Status.SUBMITTED
    application.submitted_at = now
    application.submitted_by = user
    application.small_organisation = application.organisation.is_small
    application.save(
        update_fields=[
            "status",
            "submitted_at",
            "submitted_by",
            "small_organisation",
            "updated_at",
        ]
    )
    application_id = application.pk
    transaction.on_commit(lambda: receipt_send(application_id, resubmission=resubmission))
    return application


def application_summary_pdf(application: Application) -> bytes:
    application = queries.with_details(Application.objects.filter(pk=application.pk)).get()
    return pdf.render_pdf(
        "funding/pdf/summary.html",
        {
            "application": application,
            "profile": profile_for(application.organisation),
            "printed_at": timezone.localtime(),
        },
    )


def receipt_send(application_id: int, *, resubmission: bool = False) -> None:
    application = Application.objects.select_related(
        "period__programme", "organisation", "submitted_by"
    ).get(pk=application_id)
    notify(
        to=_recipients(application),
        template="funding/email/receipt",
        context={"application": application, "resubmission": resubmission},
        language=_language_of(application),
        attachments=[("antrag.pdf", application_summary_pdf(application), "application/pdf")],
    )


WITHDRAWABLE = (Application.Status.DRAFT, *Application.OPEN)


@transaction.atomic
def application_withdraw(*, user, application: Application) -> Application:
    _require_member(user, application.organisation_id)
    application = _locked_application(application)
    if application.status not in WITHDRAWABLE:
        raise FundingError(_("A decided or withdrawn application cannot be withdrawn."))
    application.status = Application.Status.WITHDRAWN
    application.withdrawn_at = timezone.now()
    application.save(update_fields=["status", "withdrawn_at", "updated_at"])
    return application


# --- Formal check --------------------------------------------------------------------------

# The staff checklist: (key, English label). Every item must be ticked to pass.
CHECKLIST: tuple[tuple[str, str], ...] = (
    ("complete", "All required information is given"),
    ("eligible", "The organisation is eligible for the programme"),
    ("fundable", "The measures are fundable under the programme"),
    ("plausible", "Costs, units and dates are plausible"),
    ("bank_account", "Bank account and account holder are given"),
    ("documents", "The required documents are attached"),
)


@transaction.atomic
def formal_check_record(
    *, user, application: Application, checklist: dict[str, bool], outcome: str, note: str = ""
) -> FormalCheck:
    """Staff check a submitted application: passed (on to the committee) or more information
    needed (back to the organisation, with the note, which is e-mailed)."""
    if not queries.is_staff(user):
        raise PermissionDenied
    application = _locked_application(application)
    if application.status != Application.Status.SUBMITTED:
        raise FundingError(_("Only a submitted application can be checked."))
    ticked = {key: bool(checklist.get(key)) for key, _label in CHECKLIST}
    note = note.strip()
    if outcome == FormalCheck.Outcome.PASSED:
        if not all(ticked.values()):
            raise FundingError(_("Tick every item of the checklist to pass the check."))
        application.status = Application.Status.CHECKED
        application.info_request = ""
    elif outcome == FormalCheck.Outcome.INFO_REQUESTED:
        if not note:
            raise FundingError(_("Say what information is needed."))
        application.status = Application.Status.INFO_REQUESTED
        application.info_request = note
    else:
        raise FundingError(_("Unknown outcome."))
    application.save(update_fields=["status", "info_request", "updated_at"])
    check = FormalCheck.objects.create(
        application=application, checklist=ticked, outcome=outcome, note=note, checked_by=user
    )
    if outcome == FormalCheck.Outcome.INFO_REQUESTED:
        application_id = application.pk
        transaction.on_commit(lambda: _info_request_send(application_id))
    return check


def _info_request_send(application_id: int) -> None:
    application = Application.objects.select_related(
        "organisation", "period__programme", "submitted_by"
    ).get(pk=application_id)
    notify(
        to=_recipients(application),
        template="funding/email/info_requested",
        context={"application": application, "note": application.info_request},
        language=_language_of(application),
    )


# --- Committee: conflicts and reviews ------------------------------------------------------


def _require_committee(user) -> None:
    if not queries.is_committee(user):
        raise PermissionDenied


@transaction.atomic
def conflict_declare(*, user, application: Application, reason: str = "") -> ConflictOfInterest:
    """A committee member declares a conflict; any review they made of it is withdrawn."""
    _require_committee(user)
    conflict, _created = ConflictOfInterest.objects.get_or_create(
        application=application,
        member=user,
        defaults={"reason": reason.strip()[:300] or _("Declared by the member")},
    )
    Review.objects.filter(application=application, reviewer=user).delete()
    return conflict


def _enforce_no_conflict(user, application: Application) -> None:
    reason = queries.conflict_reason(user, application)
    if reason == "member":
        # Recorded, so the committee's overview shows that this member stood aside.
        ConflictOfInterest.objects.get_or_create(
            application=application,
            member=user,
            defaults={"reason": "Acts for the applying organisation"},
        )
    if reason:
        raise ConflictOfInterestError(
            _("You have a conflict of interest with this application and cannot score it.")
        )


def review_score(criteria: list[ReviewCriterion], points: dict[int, int]) -> Decimal:
    """Weighted share of the points reached, 0..100 with two decimals."""
    reached = sum(points[c.pk] * c.weight for c in criteria)
    possible = sum(c.max_points * c.weight for c in criteria)
    if not possible:
        return Decimal(0)
    return (Decimal(100) * reached / possible).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def review_save(
    *,
    user,
    application: Application,
    points: dict[int, int],
    recommendation: str,
    comment: str = "",
) -> Review:
    """A committee member scores an application on every criterion of its programme and
    recommends. Refused (ConflictOfInterestError) for members of the applying organisation and
    for declared conflicts."""
    _require_committee(user)
    # Outside the atomic block: the conflict recorded for a member must stay although the
    # review is refused.
    _enforce_no_conflict(user, application)
    with transaction.atomic():
        application = _locked_application(application)
        if application.status != Application.Status.CHECKED:
            raise FundingError(_("Only formally checked, undecided applications are scored."))
        criteria = list(application.period.programme.criteria.all())
        missing = [c.label for c in criteria if c.pk not in points]
        if missing:
            raise FundingError(_("Score every criterion."), missing)
        for criterion in criteria:
            if not 0 <= points[criterion.pk] <= criterion.max_points:
                raise FundingError(
                    _("%(criterion)s: between 0 and %(max)s points.")
                    % {"criterion": criterion.label, "max": criterion.max_points}
                )
        if recommendation not in Review.Recommendation.values:
            raise FundingError(_("Choose a recommendation."))
        review, _created = Review.objects.update_or_create(
            application=application,
            reviewer=user,
            defaults={
                "recommendation": recommendation,
                "comment": comment.strip(),
                "score": review_score(criteria, points),
            },
        )
        review.scores.all().delete()
        Score.objects.bulk_create(
            Score(review=review, criterion=c, points=points[c.pk]) for c in criteria
        )
        return review


# --- Allocation ----------------------------------------------------------------------------


def _require_allocator(user) -> None:
    if not (queries.is_committee(user) or queries.is_staff(user)):
        raise PermissionDenied


def proposal_summary(proposal: alloc.Proposal, parameters: dict) -> dict:
    """What the minutes keep of a compared proposal (JSON)."""
    return {
        "policy": proposal.policy,
        "parameters": parameters,
        "total_cents": proposal.total_cents,
        "left_cents": proposal.left_cents,
        "objective": proposal.objective,
        "status": proposal.status,
        "grants": {str(g.application_id): g.granted_cents for g in proposal.grants},
    }


@transaction.atomic
def allocation_adopt(
    *,
    user,
    period: Period,
    chosen: int,
    policies: list[tuple[dict, alloc.Policy]],
) -> Allocation:
    """Recompute the compared proposals and store the chosen one as the period's draft
    allocation (replacing an earlier draft), ready for adjustment and finalisation."""
    _require_allocator(user)
    period = Period.objects.select_for_update().get(pk=period.pk)
    if queries.final_allocation(period) is not None:
        raise FundingError(_("The allocation of this period is already final."))
    candidates = list(queries.allocation_candidates(period))
    if not candidates:
        raise FundingError(_("No formally checked application is waiting for a decision."))
    data = queries.allocation_input(candidates)
    budget = queries.budget_left_cents(period)
    proposals = alloc.compare(data, budget, [policy for _params, policy in policies])
    if not 0 <= chosen < len(proposals):
        raise FundingError(_("Choose one of the compared proposals."))
    proposal = proposals[chosen]
    if problems := alloc.check(data, budget, proposal):
        raise FundingError(_("The proposal is not valid."), problems)
    Allocation.objects.filter(period=period, status=Allocation.Status.DRAFT).delete()
    draft = Allocation.objects.create(
        period=period,
        policy=proposal.policy,
        policy_parameters=policies[chosen][0],
        comparison=[
            proposal_summary(p, params)
            for p, (params, _policy) in zip(proposals, policies, strict=True)
        ],
        total_cents=proposal.total_cents,
        created_by=user,
    )
    scores = {item.id: item.score for item in data}
    AllocationEntry.objects.bulk_create(
        AllocationEntry(
            allocation=draft,
            application_id=grant.application_id,
            granted_cents=grant.granted_cents,
            units={str(k): v for k, v in grant.units.items()},
            amounts={str(k): v for k, v in grant.amounts.items()},
            reason=grant.reason[:300],
            reason_code=grant.reason_code,
            score=Decimal(str(round(scores[grant.application_id], 2))),
        )
        for grant in proposal.grants
    )
    return draft


def _checked_code(entry: AllocationEntry, requested_cents: int) -> str:
    """The allocation module's code for what an entry grants (the committee's adjustments are
    stored as "adjusted"; the checker knows the codes of the policies)."""
    if entry.reason_code != "adjusted":
        return entry.reason_code
    if entry.granted_cents == 0:
        return "none_budget"
    return "full" if entry.granted_cents >= requested_cents else "partial"


def allocation_problems(allocation: Allocation) -> list[str]:
    """The independent checker (allocation.check) run on the stored entries against the money
    left in the period now: whole units, nothing above a request, the total within the budget."""
    entries = list(allocation.entries.order_by("pk"))
    applications = {
        a.pk: a
        for a in Application.objects.filter(
            pk__in=[e.application_id for e in entries]
        ).prefetch_related("measures__measure_type", "reviews")
    }
    entries = [e for e in entries if e.application_id in applications]
    data = queries.allocation_input([applications[e.application_id] for e in entries])
    scores = {item.id: item.score for item in data}
    grants = tuple(
        alloc.Grant(
            application_id=entry.application_id,
            granted_cents=entry.granted_cents,
            units={int(k): v for k, v in entry.units.items()},
            amounts={int(k): v for k, v in entry.amounts.items()},
            reason=entry.reason,
            reason_code=_checked_code(entry, applications[entry.application_id].requested_cents),
        )
        for entry in entries
    )
    budget = queries.budget_left_cents(allocation.period)
    total = sum(grant.granted_cents for grant in grants)
    proposal = alloc.Proposal(
        policy=allocation.policy,
        grants=grants,
        budget_cents=budget,
        total_cents=total,
        left_cents=budget - total,
        objective=sum(scores[g.application_id] * g.granted_cents for g in grants),
        status="adjusted",
        seconds=0.0,
    )
    return alloc.check(data, budget, proposal)


@transaction.atomic
def allocation_adjust(
    *,
    user,
    entry: AllocationEntry,
    units: dict[int, int],
    amounts: dict[int, int],
    note: str,
) -> AllocationEntry:
    """The committee changes what one application gets (whole flat-rate units, cost amounts up
    to the request). Refused when the allocation would exceed the money left."""
    _require_allocator(user)
    allocation = Allocation.objects.select_for_update().get(pk=entry.allocation_id)
    if allocation.status != Allocation.Status.DRAFT:
        raise FundingError(_("A final allocation cannot be changed."))
    note = note.strip()
    if not note:
        raise FundingError(_("Give a reason for the change (it goes into the minutes)."))
    entry = AllocationEntry.objects.select_for_update().get(pk=entry.pk)
    measures = {m.pk: m for m in entry.application.measures.select_related("measure_type")}
    new_units: dict[str, int] = {}
    new_amounts: dict[str, int] = {}
    total = 0
    for measure_id, measure in measures.items():
        if measure.measure_type.is_flat_rate:
            value = units.get(measure_id, 0)
            if not 0 <= value <= measure.units:
                raise FundingError(
                    _("%(title)s: between 0 and %(max)s units.")
                    % {"title": measure.title, "max": measure.units}
                )
            new_units[str(measure_id)] = value
            total += value * measure.unit_cents
        else:
            value = amounts.get(measure_id, 0)
            if not 0 <= value <= measure.requested_cents:
                raise FundingError(
                    _("%(title)s: at most %(amount)s.")
                    % {"title": measure.title, "amount": format_euro(measure.requested_cents)}
                )
            new_amounts[str(measure_id)] = value
            total += value
    entry.units = new_units
    entry.amounts = new_amounts
    entry.granted_cents = total
    entry.reason = note[:300]
    entry.reason_code = "adjusted"
    entry.adjusted = True
    entry.save()
    allocation.total_cents = allocation.entries.aggregate(total=Sum("granted_cents"))["total"] or 0
    left = queries.budget_left_cents(allocation.period)
    if allocation.total_cents > left:
        raise BudgetExceeded(
            _("Not changed: the allocation would come to %(total)s, but only %(left)s are left.")
            % {"total": format_euro(allocation.total_cents), "left": format_euro(left)}
        )
    allocation.save(update_fields=["total_cents", "updated_at"])
    return entry


# German reasons for the decision letter by the allocation's reason code (the letter is an
# official document in German; see pdf.py).
REASONS_DE = {
    "full": "Die beantragten Maßnahmen werden in voller Höhe gefördert.",
    "partial": (
        "Die verfügbaren Mittel reichen nicht für alle Anträge. Nach der Bewertung durch das "
        "Entscheidungsgremium wird der Antrag teilweise gefördert."
    ),
    "none_budget": (
        "Die verfügbaren Mittel des Förderzeitraums sind durch höher bewertete Anträge "
        "ausgeschöpft."
    ),
    "below_threshold": (
        "Die Bewertung durch das Entscheidungsgremium liegt unter der Schwelle für eine Förderung."
    ),
    "none_rounding": "Der anteilige Förderbetrag ergibt keine ganze Pauschale.",
    "small_floor": "Als kleiner Träger erhält die Organisation einen Sockelbetrag.",
    "nothing_requested": "Der Antrag enthält keinen Förderbetrag.",
}


def _entry_reason(entry: AllocationEntry) -> str:
    if entry.adjusted:
        return f"Entscheidung des Entscheidungsgremiums: {entry.reason}"
    return REASONS_DE.get(entry.reason_code, entry.reason)


@transaction.atomic
def allocation_finalise(*, user, allocation: Allocation, minutes: str) -> list[Decision]:
    """The committee finalises: one decision per application (approval, partial approval or
    rejection with its reason), the minutes recorded, letters sent after the commit."""
    _require_allocator(user)
    minutes = minutes.strip()
    if not minutes:
        raise FundingError(_("The minutes are required to finalise."))
    period = _lock_period(allocation.period_id)
    allocation = Allocation.objects.select_for_update().get(pk=allocation.pk)
    if allocation.status != Allocation.Status.DRAFT:
        raise FundingError(_("This allocation is already final."))
    if problems := allocation_problems(allocation):
        raise FundingError(_("The allocation is not valid."), problems)
    entries = list(allocation.entries.select_related("application"))
    decisions = []
    for entry in entries:
        application = _locked_application(entry.application)
        if application.status != Application.Status.CHECKED:
            raise FundingError(
                _("%(reference)s is no longer waiting for a decision (%(status)s).")
                % {"reference": application.reference, "status": application.get_status_display()}
            )
        decisions.append(
            _decide(
                user=user,
                application=application,
                period=period,
                units={int(k): v for k, v in entry.units.items()},
                amounts={int(k): v for k, v in entry.amounts.items()},
                reason=_entry_reason(entry),
                allocation=allocation,
            )
        )
    allocation.status = Allocation.Status.FINAL
    allocation.minutes = minutes
    allocation.finalised_by = user
    allocation.finalised_at = timezone.now()
    allocation.total_cents = sum(d.granted_cents for d in decisions)
    allocation.save()
    ids = [decision.pk for decision in decisions]
    transaction.on_commit(lambda: _letters_enqueue(ids))
    return decisions


# --- Decisions and the budget --------------------------------------------------------------


def _lock_period(period_id: int) -> Period:
    # The row lock makes concurrent approvals of one period wait for each other (PostgreSQL);
    # SQLite's IMMEDIATE transactions already serialise writers.
    return Period.objects.select_for_update().get(pk=period_id)


def _reserve_budget(period: Period, cents: int) -> None:
    """Add an approval to the period's running total, re-summed from the decisions inside the
    locked transaction; the check constraint on the period is the last line of defence."""
    decided = (
        Decision.objects.filter(application__period=period).aggregate(total=Sum("granted_cents"))[
            "total"
        ]
        or 0
    )
    if decided + cents > period.budget_cents:
        raise BudgetExceeded(
            _(
                "Not approved: only %(left)s of the budget of %(period)s are left, "
                "%(amount)s were to be approved."
            )
            % {
                "left": format_euro(period.budget_cents - decided),
                "period": period,
                "amount": format_euro(cents),
            }
        )
    period.approved_cents = decided + cents
    try:
        with transaction.atomic():
            period.save(update_fields=["approved_cents", "updated_at"])
    except IntegrityError as error:
        raise BudgetExceeded(_("Not approved: the budget of the period is used up.")) from error


def _decide(
    *,
    user,
    application: Application,
    period: Period,
    units: dict[int, int],
    amounts: dict[int, int],
    reason: str,
    allocation: Allocation | None = None,
) -> Decision:
    """Record the decision for a locked application in a locked period; set each measure's
    granted units/amounts; the outcome follows from granted versus requested."""
    measures = list(application.measures.select_related("measure_type"))
    granted_total = 0
    for measure in measures:
        if measure.measure_type.is_flat_rate:
            value = units.get(measure.pk, 0)
            if not 0 <= value <= measure.units:
                raise FundingError(
                    _("%(title)s: between 0 and %(max)s units.")
                    % {"title": measure.title, "max": measure.units}
                )
            measure.granted_units = value
            measure.granted_cents = value * measure.unit_cents
        else:
            value = amounts.get(measure.pk, 0)
            if not 0 <= value <= measure.requested_cents:
                raise FundingError(_("%(title)s: more than requested.") % {"title": measure.title})
            measure.granted_units = None
            measure.granted_cents = value
        granted_total += measure.granted_cents
    if granted_total == 0:
        outcome = Decision.Outcome.REJECTED
    elif granted_total >= application.requested_cents:
        outcome = Decision.Outcome.APPROVED
    else:
        outcome = Decision.Outcome.PARTIALLY_APPROVED
    if granted_total:
        _reserve_budget(period, granted_total)
    Measure.objects.bulk_update(measures, ["granted_units", "granted_cents"])
    try:
        with transaction.atomic():
            decision = Decision.objects.create(
                application=application,
                outcome=outcome,
                granted_cents=granted_total,
                reason=reason,
                allocation=allocation,
                decided_by=user,
            )
    except IntegrityError as error:
        raise FundingError(_("This application has already been decided.")) from error
    application.status = {
        Decision.Outcome.APPROVED: Application.Status.APPROVED,
        Decision.Outcome.PARTIALLY_APPROVED: Application.Status.PARTIALLY_APPROVED,
        Decision.Outcome.REJECTED: Application.Status.REJECTED,
    }[outcome]
    application.save(update_fields=["status", "updated_at"])
    return decision


def application_decide(
    *,
    user,
    application: Application,
    outcome: str,
    reason: str,
    units: dict[int, int] | None = None,
    amounts: dict[int, int] | None = None,
) -> Decision:
    """Staff decide one formally checked application: approval (everything requested),
    rejection (nothing) or partial approval (the given units and amounts). Approvals can never
    take a period over its budget; the loser of a race gets BudgetExceeded."""
    if not queries.is_staff(user):
        raise PermissionDenied
    reason = reason.strip()
    if not reason:
        raise FundingError(_("A decision needs a reason."))
    with transaction.atomic():
        period = _lock_period(application.period_id)
        application = _locked_application(application)
        if application.status != Application.Status.CHECKED:
            raise FundingError(_("Only a formally checked, undecided application can be decided."))
        measures = list(application.measures.select_related("measure_type"))
        if outcome == Decision.Outcome.APPROVED:
            units = {m.pk: m.units for m in measures if m.measure_type.is_flat_rate}
            amounts = {m.pk: m.requested_cents for m in measures if not m.measure_type.is_flat_rate}
        elif outcome == Decision.Outcome.REJECTED:
            units, amounts = {}, {}
        elif outcome == Decision.Outcome.PARTIALLY_APPROVED:
            units, amounts = units or {}, amounts or {}
            granted = sum(
                units.get(m.pk, 0) * m.unit_cents
                if m.measure_type.is_flat_rate
                else amounts.get(m.pk, 0)
                for m in measures
            )
            if not 0 < granted < application.requested_cents:
                raise FundingError(
                    _("A partial approval grants more than nothing and less than requested.")
                )
        else:
            raise FundingError(_("Choose approval, partial approval or rejection."))
        decision = _decide(
            user=user,
            application=application,
            period=period,
            units=units,
            amounts=amounts,
            reason=reason,
        )
        decision_id = decision.pk
        transaction.on_commit(lambda: _letters_enqueue([decision_id]))
    return decision


# --- Letters -------------------------------------------------------------------------------


def _letters_enqueue(decision_ids: list[int]) -> None:
    from teilhabe.funding.tasks import send_decision_letter

    for decision_id in decision_ids:
        send_decision_letter.enqueue(decision_id=decision_id)


def decision_letter_pdf(decision: Decision) -> bytes:
    """The decision letter (Bescheid), made once and kept, so the organisation downloads what
    was sent."""
    if decision.letter:
        with decision.letter.open("rb") as stored:
            return stored.read()
    application = queries.with_details(Application.objects.filter(pk=decision.application_id)).get()
    content = pdf.render_pdf(
        "funding/pdf/decision_letter.html",
        {
            "decision": decision,
            "application": application,
            "measures": list(application.measures.all()),
            "profile": profile_for(application.organisation),
            "today": timezone.localdate(),
        },
    )
    decision.letter.save("bescheid.pdf", ContentFile(content), save=False)
    Decision.objects.filter(pk=decision.pk).update(letter=decision.letter.name)
    return content


def decision_letter_send(decision_id: int) -> None:
    decision = Decision.objects.select_related(
        "application__organisation", "application__period__programme", "application__submitted_by"
    ).get(pk=decision_id)
    content = decision_letter_pdf(decision)
    application = decision.application
    notify(
        to=_recipients(application),
        template="funding/email/decision",
        context={"application": application, "decision": decision},
        language=_language_of(application),
        attachments=[("bescheid.pdf", content, "application/pdf")],
    )
    Decision.objects.filter(pk=decision.pk).update(letter_sent_at=timezone.now())
