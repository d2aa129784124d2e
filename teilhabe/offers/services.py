"""Everything that changes offers: maintaining, review, keeping current, counting views."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from teilhabe.core import roles
from teilhabe.core.notifications import notify
from teilhabe.core.queries import district_for_point
from teilhabe.offers.cache import map_changed
from teilhabe.offers.models import DailyViews, Offer, OfferTranslation, OneOffDate, WeeklySlot
from teilhabe.offers.queries import CONTENT_FIELDS, can_edit

CONFIRM_SALT = "teilhabe.offers.still-current"


class OfferStateError(ValueError):
    """The offer is not in a state that allows this step; the message says why."""


def offer_locate(offer: Offer) -> None:
    """Derive the district from the coordinates (None outside the city)."""
    if offer.latitude is None or offer.longitude is None:
        offer.district = None
    else:
        offer.district = district_for_point(offer.latitude, offer.longitude)


@transaction.atomic
def offer_save(*, form, slots, dates) -> Offer:
    """Save a valid offer form (forms.OfferForm) with its weekly hours and dates formsets, as
    one change: the district follows the coordinates. The form decides who may choose which
    organisation; the caller, which offer may be edited (a draft or a pending change)."""
    offer = form.save(commit=False)
    offer_locate(offer)
    offer.save()
    form.save_m2m()
    slots.instance = dates.instance = offer
    slots.save()
    dates.save()
    return offer


def _require_editor(user, offer: Offer) -> None:
    if not can_edit(user, offer):
        raise PermissionDenied


def _copy_related(source: Offer, target: Offer) -> None:
    """Make target's languages, groups, hours, dates and translations those of source."""
    target.languages.set(source.languages.all())
    target.target_groups.set(source.target_groups.all())
    target.weekly_slots.all().delete()
    WeeklySlot.objects.bulk_create(
        WeeklySlot(offer=target, weekday=s.weekday, opens=s.opens, closes=s.closes)
        for s in source.weekly_slots.all()
    )
    target.dates.all().delete()
    OneOffDate.objects.bulk_create(
        OneOffDate(offer=target, date=d.date, starts=d.starts, ends=d.ends)
        for d in source.dates.all()
    )
    target.translations.all().delete()
    OfferTranslation.objects.bulk_create(
        OfferTranslation(
            offer=target,
            language=t.language,
            title=t.title,
            description=t.description,
            status=t.status,
            machine_translated=t.machine_translated,
            source_language=t.source_language,
        )
        for t in source.translations.all()
    )


@transaction.atomic
def offer_start_change(*, user, offer: Offer) -> Offer:
    """The row to edit: the offer itself, or for a published offer its pending change (a copy
    made on the first edit), so the published version stays on the map during review."""
    _require_editor(user, offer)
    if offer.revision_of_id is not None or offer.status != Offer.Status.PUBLISHED:
        return offer
    existing = offer.revisions.first()
    if existing is not None:
        return existing
    revision = Offer(
        revision_of=offer, status=Offer.Status.DRAFT, submitted_by=user, is_demo=offer.is_demo
    )
    for name in CONTENT_FIELDS:
        setattr(revision, name, getattr(offer, name))
    revision.save()
    _copy_related(offer, revision)
    return revision


@transaction.atomic
def offer_submit(*, user, offer: Offer) -> Offer:
    """Draft → in review. Staff are told by e-mail."""
    _require_editor(user, offer)
    offer = Offer.objects.select_for_update().get(pk=offer.pk)
    if offer.status != Offer.Status.DRAFT:
        raise OfferStateError("Only a draft can be sent for review.")
    if offer.latitude is None or offer.longitude is None:
        raise OfferStateError("The offer needs a place on the map (coordinates).")
    offer.status = Offer.Status.REVIEW
    offer.submitted_by = user
    offer.rejection_reason = ""
    offer.save(update_fields=["status", "submitted_by", "rejection_reason", "updated_at"])
    _notify_staff("offers/email/submitted", {"offer": offer})
    return offer


@transaction.atomic
def offer_approve(*, user, offer: Offer, now: datetime | None = None) -> Offer:
    """In review → published. A pending change replaces the published version. Returns the
    published offer."""
    if not roles.has_role(user, roles.STAFF):
        raise PermissionDenied
    now = now or timezone.now()
    offer = Offer.objects.select_for_update().get(pk=offer.pk)
    if offer.status != Offer.Status.REVIEW:
        raise OfferStateError("Only an offer in review can be approved.")
    if offer.revision_of_id is None:
        offer.status = Offer.Status.PUBLISHED
        offer.published_at = offer.published_at or now
        _mark_confirmed(offer, now)
        offer.save()
        published = offer
    else:
        published = Offer.objects.select_for_update().get(pk=offer.revision_of_id)
        for name in CONTENT_FIELDS:
            setattr(published, name, getattr(offer, name))
        _mark_confirmed(published, now)
        published.save()
        _copy_related(offer, published)
        offer.delete()
    _notify_organisation(published, "offers/email/approved", {"offer": published})
    return published


@transaction.atomic
def offer_reject(*, user, offer: Offer, reason: str) -> Offer:
    """In review → draft again, with a reason that is e-mailed to the organisation."""
    if not roles.has_role(user, roles.STAFF):
        raise PermissionDenied
    reason = reason.strip()
    if not reason:
        raise OfferStateError("A rejection needs a reason.")
    offer = Offer.objects.select_for_update().get(pk=offer.pk)
    if offer.status != Offer.Status.REVIEW:
        raise OfferStateError("Only an offer in review can be rejected.")
    offer.status = Offer.Status.DRAFT
    offer.rejection_reason = reason
    offer.save(update_fields=["status", "rejection_reason", "updated_at"])
    _notify_organisation(offer, "offers/email/rejected", {"offer": offer, "reason": reason})
    return offer


@transaction.atomic
def offer_archive(*, user, offer: Offer) -> Offer:
    _require_editor(user, offer)
    offer.status = Offer.Status.ARCHIVED
    offer.save(update_fields=["status", "updated_at"])
    offer.revisions.all().delete()
    return offer


def _mark_confirmed(offer: Offer, now: datetime) -> None:
    offer.last_confirmed_at = now
    offer.reminder_sent_at = None
    offer.left_map_at = None


@transaction.atomic
def offer_confirm(*, offer: Offer, now: datetime | None = None) -> Offer:
    """The organisation says the offer is still current: back on the map, the clock restarts."""
    offer = Offer.objects.select_for_update().get(pk=offer.pk)
    if offer.status != Offer.Status.PUBLISHED:
        raise OfferStateError("Only a published offer can be confirmed.")
    _mark_confirmed(offer, now or timezone.now())
    offer.save(update_fields=["last_confirmed_at", "reminder_sent_at", "left_map_at", "updated_at"])
    return offer


def confirmation_token(offer: Offer) -> str:
    """A signed token for the one-click "still current" link (checked with an age limit)."""
    return signing.TimestampSigner(salt=CONFIRM_SALT).sign(str(offer.uuid))


def offer_confirm_by_token(token: str, *, now: datetime | None = None) -> Offer:
    """Confirm from the e-mail link. Raises signing.BadSignature (or SignatureExpired)."""
    max_age = timedelta(days=settings.OFFERS_CONFIRM_LINK_DAYS)
    offer_uuid = signing.TimestampSigner(salt=CONFIRM_SALT).unsign(token, max_age=max_age)
    offer = Offer.objects.get(uuid=offer_uuid, revision_of__isnull=True)
    return offer_confirm(offer=offer, now=now)


@dataclass(frozen=True)
class StaleReport:
    reminded: int
    left_map: int


@transaction.atomic
def stale_offers_process(*, now: datetime | None = None) -> StaleReport:
    """Remind organisations of offers not confirmed for N days; take offers off the map after M
    days and tell staff. Safe to run every hour: each reminder and removal happens once."""
    now = now or timezone.now()
    remind_before = now - timedelta(days=settings.OFFERS_REMIND_AFTER_DAYS)
    remove_before = now - timedelta(days=settings.OFFERS_REMOVE_AFTER_DAYS)
    published = Offer.objects.originals().filter(status=Offer.Status.PUBLISHED)

    to_remind = list(
        published.select_for_update(skip_locked=True)
        .filter(
            last_confirmed_at__lt=remind_before,
            reminder_sent_at__isnull=True,
            left_map_at__isnull=True,
        )
        .select_related("organisation")
    )
    for offer in to_remind:
        _notify_organisation(
            offer,
            "offers/email/still_current",
            {
                "offer": offer,
                "confirm_url": settings.SITE_URL
                + reverse("offers:confirm", kwargs={"token": confirmation_token(offer)}),
                "edit_url": settings.SITE_URL + reverse("offers:edit", kwargs={"pk": offer.pk}),
                "remove_after_days": settings.OFFERS_REMOVE_AFTER_DAYS,
            },
        )
    Offer.objects.filter(pk__in=[o.pk for o in to_remind]).update(reminder_sent_at=now)

    to_remove = list(
        published.select_for_update(skip_locked=True).filter(
            last_confirmed_at__lt=remove_before, left_map_at__isnull=True
        )
    )
    Offer.objects.filter(pk__in=[o.pk for o in to_remove]).update(left_map_at=now)
    if to_remove:
        map_changed()  # update() sends no signal, and the offers leave the public map
        _notify_staff("offers/email/left_map", {"offers": to_remove})
    return StaleReport(reminded=len(to_remind), left_map=len(to_remove))


def views_count(*, offer: Offer | None = None, day=None) -> None:
    """Count one view of the map (offer=None) or of an offer's page. Nothing about the visitor
    is stored; two requests at once both count (update with F, create on the first)."""
    day = day or timezone.localdate()
    updated = DailyViews.objects.filter(offer=offer, day=day).update(count=F("count") + 1)
    if updated:
        return
    try:
        with transaction.atomic():
            DailyViews.objects.create(offer=offer, day=day, count=1)
    except IntegrityError:  # another request created today's row first
        DailyViews.objects.filter(offer=offer, day=day).update(count=F("count") + 1)


def _organisation_addresses(offer: Offer) -> list[str]:
    members = offer.organisation.memberships.select_related("user").values_list(
        "user__email", flat=True
    )
    return sorted({address for address in [offer.organisation.email, *members] if address})


def _notify_organisation(offer: Offer, template: str, context: dict) -> None:
    notify(to=_organisation_addresses(offer), template=template, context=context)


def _notify_staff(template: str, context: dict) -> None:
    staff = (
        get_user_model()
        .objects.filter(groups__name=roles.STAFF.group_name, is_active=True)
        .exclude(email="")
    )
    notify(
        to=sorted(set(staff.values_list("email", flat=True))), template=template, context=context
    )


def offer_for_confirmation_token(token: str) -> Offer:
    """The offer a "still current" link is for, without confirming it: the page shows the offer
    first, because e-mail link scanners open links. Raises signing.BadSignature (or
    SignatureExpired) or Offer.DoesNotExist."""
    max_age = timedelta(days=settings.OFFERS_CONFIRM_LINK_DAYS)
    offer_uuid = signing.TimestampSigner(salt=CONFIRM_SALT).unsign(token, max_age=max_age)
    return Offer.objects.select_related("organisation").get(
        uuid=offer_uuid, revision_of__isnull=True
    )


@transaction.atomic
def offer_translation_set(
    *,
    user,
    offer: Offer,
    language: str,
    title: str,
    description: str = "",
    machine_translated: bool = False,
) -> Offer:
    """Set the offer's title and description in one more interface language; an empty title
    removes the translation. On a published offer this goes into its pending change (the
    published text stays until staff approve). Returns the row that was changed."""
    if language == settings.LANGUAGE_CODE or language not in dict(settings.LANGUAGES):
        raise ValueError(f"{language!r} is not a language to translate into")
    row = offer_start_change(user=user, offer=offer)
    if row.status != Offer.Status.DRAFT:
        raise OfferStateError("Only a draft can be changed.")
    title = title.strip()
    if not title:
        row.translations.filter(language=language).delete()
    else:
        OfferTranslation.objects.update_or_create(
            offer=row,
            language=language,
            defaults={
                "title": title,
                "description": description.strip(),
                "machine_translated": machine_translated,
                "status": OfferTranslation.Status.PUBLISHED,
                "source_language": settings.LANGUAGE_CODE,
            },
        )
    return row
