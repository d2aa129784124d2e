"""Organisations maintain their offers; staff review them; offers are kept current.

Thin views: every change of state goes through `services`, permission reads through `queries`.
An offer of another organisation answers 404 (its existence is not revealed), on GET and POST.
"""

from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.core import signing
from django.db.models import Q, Sum
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from teilhabe.core import roles
from teilhabe.core.permissions import role_required, staff_required
from teilhabe.offers import queries, services
from teilhabe.offers.forms import (
    OfferForm,
    OneOffDateFormSet,
    RejectForm,
    TranslationForm,
    WeeklySlotFormSet,
)
from teilhabe.offers.models import DailyViews, Offer

maintainer_required = role_required(roles.ORGANISATION_MEMBER, roles.STAFF)


# --- What a maintainer sees ---------------------------------------------------------------


def _offer_for(user, pk: int) -> Offer:
    """The offer if the user may maintain it, else 404 (also for another organisation's)."""
    offer = get_object_or_404(
        Offer.objects.select_related("organisation", "category", "revision_of"), pk=pk
    )
    if not queries.can_edit(user, offer):
        raise Http404
    return offer


def _posted_pk(request: HttpRequest, name: str) -> int:
    value = request.POST.get(name, "")
    if not value.isdigit():
        raise Http404
    return int(value)


def _is_published_original(offer: Offer) -> bool:
    return offer.status == Offer.Status.PUBLISHED and offer.revision_of_id is None


def _translation_languages() -> list[tuple[str, str]]:
    return [(code, name) for code, name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]


def _translation_rows(offer: Offer) -> list[dict]:
    existing = {t.language: t for t in offer.translations.all()}
    return [
        {"code": code, "name": name, "translation": existing.get(code)}
        for code, name in _translation_languages()
    ]


def _confirm_with_message(request: HttpRequest, offer: Offer) -> None:
    try:
        services.offer_confirm(offer=offer)
    except services.OfferStateError:
        messages.error(request, _("Only a published offer can be confirmed."))
    else:
        messages.success(
            request,
            _("“%(title)s” is confirmed as current and on the map.") % {"title": offer.title},
        )


@maintainer_required
def my_offers(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":  # "still current" for a published offer of one's own
        offer = _offer_for(request.user, _posted_pk(request, "confirm"))
        _confirm_with_message(request, offer)
        return redirect("offers:mine")
    offers = list(
        queries.offers_for_maintainer(request.user)
        .filter(revision_of__isnull=True)
        .select_related("organisation", "category")
        .prefetch_related("revisions")
        .order_by("organisation__name", "title")
    )
    counts = queries.view_counts([offer.pk for offer in offers], timezone.localdate())
    rows = [
        {
            "offer": offer,
            "state": queries.offer_state(offer),
            "pending": next(iter(offer.revisions.all()), None),
            "views": counts.get(offer.pk, (0, 0)),
        }
        for offer in offers
    ]
    return render(
        request,
        "offers/manage/mine.html",
        {
            "rows": [row for row in rows if row["offer"].status != Offer.Status.ARCHIVED],
            "archived": [row for row in rows if row["offer"].status == Offer.Status.ARCHIVED],
            "organisations": queries.organisations_for(request.user),
            "recent_days": queries.RECENT_DAYS,
        },
    )


# --- Creating and editing -------------------------------------------------------------------


def _offer_form_page(request: HttpRequest, offer: Offer) -> HttpResponse:
    """The offer form with its weekly hours and dates, for a new offer or a draft (including
    the pending change of a published offer). Invalid input comes back with every value."""
    creating = offer.pk is None
    organisations = queries.organisations_for(request.user)
    data = request.POST if request.method == "POST" else None
    form = OfferForm(data, instance=offer, organisations=organisations)
    slots = WeeklySlotFormSet(data, instance=offer, prefix="slots")
    dates = OneOffDateFormSet(data, instance=offer, prefix="dates")
    if data is not None:
        valid = [form.is_valid(), slots.is_valid(), dates.is_valid()]
        if all(valid):
            offer = services.offer_save(form=form, slots=slots, dates=dates)
            if form.lacks_coordinates:
                messages.warning(
                    request,
                    _(
                        "Saved as a draft. The offer can only go on the map with coordinates: "
                        "no address lookup is configured, so please enter latitude and longitude."
                    ),
                )
                return redirect("offers:edit", pk=offer.pk)
            if "send" in request.POST:
                return _submit(request, offer)
            messages.success(request, _("Saved as a draft."))
            return redirect("offers:edit", pk=offer.pk)
    has_errors = data is not None and (form.errors or slots.total_error_count() or dates.errors)
    return render(
        request,
        "offers/manage/form.html",
        {
            "creating": creating,
            "offer": offer,
            "form": form,
            "slots": slots,
            "dates": dates,
            "has_errors": has_errors,
            "state": None if creating else queries.offer_state(offer),
            "translations": [] if creating else _translation_rows(offer),
            "has_organisations": organisations.exists(),
        },
    )


@maintainer_required
def offer_create(request: HttpRequest) -> HttpResponse:
    return _offer_form_page(request, Offer())


@maintainer_required
def offer_edit(request: HttpRequest, pk: int) -> HttpResponse:
    offer = _offer_for(request.user, pk)
    if _is_published_original(offer):
        pending = offer.revisions.first()
        if pending is not None:
            return redirect("offers:edit", pk=pending.pk)
        if request.method == "POST" and "start_change" in request.POST:
            change = services.offer_start_change(user=request.user, offer=offer)
            return redirect("offers:edit", pk=change.pk)
        return _status_page(request, offer)
    if offer.status != Offer.Status.DRAFT:
        if request.method == "POST":
            messages.error(request, _("This offer cannot be changed now."))
            return redirect("offers:edit", pk=offer.pk)
        return _status_page(request, offer)
    return _offer_form_page(request, offer)


def _status_page(request: HttpRequest, offer: Offer) -> HttpResponse:
    """A published offer (with the button that starts a change), or one that is in review or
    archived and cannot be changed now."""
    return render(
        request,
        "offers/manage/status.html",
        {
            "offer": offer,
            "state": queries.offer_state(offer),
            "can_change": _is_published_original(offer),
            "translations": _translation_rows(offer),
        },
    )


def _submit(request: HttpRequest, offer: Offer) -> HttpResponse:
    if offer.status != Offer.Status.DRAFT:
        messages.error(request, _("Only a draft can be sent for review."))
        return redirect("offers:edit", pk=offer.pk)
    if offer.latitude is None or offer.longitude is None:
        messages.error(
            request,
            _(
                "The offer needs a place on the map before it can be sent: enter its latitude "
                "and longitude."
            ),
        )
        return redirect("offers:edit", pk=offer.pk)
    try:
        services.offer_submit(user=request.user, offer=offer)
    except services.OfferStateError:
        messages.error(request, _("This offer cannot be sent for review now."))
        return redirect("offers:edit", pk=offer.pk)
    messages.success(
        request,
        _("“%(title)s” was sent for review. You will get an e-mail when it is decided.")
        % {"title": offer.title},
    )
    return redirect("offers:mine")


@maintainer_required
@require_POST
def offer_submit(request: HttpRequest, pk: int) -> HttpResponse:
    return _submit(request, _offer_for(request.user, pk))


@maintainer_required
@require_POST
def offer_archive(request: HttpRequest, pk: int) -> HttpResponse:
    offer = _offer_for(request.user, pk)
    original = offer.revision_of or offer
    services.offer_archive(user=request.user, offer=original)
    messages.success(
        request,
        _("“%(title)s” is archived and no longer on the map.") % {"title": original.title},
    )
    return redirect("offers:mine")


@maintainer_required
def translation_edit(request: HttpRequest, pk: int, language: str) -> HttpResponse:
    names = dict(_translation_languages())
    if language not in names:
        raise Http404
    offer = _offer_for(request.user, pk)
    if _is_published_original(offer):
        pending = offer.revisions.first()
        if pending is not None:
            return redirect("offers:translation_edit", pk=pending.pk, language=language)
    elif offer.status != Offer.Status.DRAFT:
        return redirect("offers:edit", pk=offer.pk)
    existing = offer.translations.filter(language=language).first()
    initial = (
        {
            "title": existing.title,
            "description": existing.description,
            "machine_translated": existing.machine_translated,
        }
        if existing
        else {}
    )
    data = request.POST if request.method == "POST" else None
    form = TranslationForm(data, initial=initial, language=language)
    if data is not None and form.is_valid():
        try:
            row = services.offer_translation_set(
                user=request.user, offer=offer, language=language, **form.cleaned_data
            )
        except services.OfferStateError:
            messages.error(request, _("This offer cannot be changed now."))
            return redirect("offers:edit", pk=offer.pk)
        messages.success(
            request,
            _("The translation (%(language)s) is saved.") % {"language": names[language]}
            if form.cleaned_data["title"].strip()
            else _("The translation (%(language)s) is removed.") % {"language": names[language]},
        )
        return redirect("offers:edit", pk=row.pk)
    return render(
        request,
        "offers/manage/translation.html",
        {
            "offer": offer,
            "form": form,
            "language": language,
            "language_name": names[language],
            "is_published": _is_published_original(offer),
        },
    )


# --- "Still current?" from the reminder e-mail ----------------------------------------------


def offer_confirm(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows the offer and one button; only the POST confirms (e-mail link scanners open
    links, so opening the link must change nothing)."""
    try:
        offer = services.offer_for_confirmation_token(token)
    except (signing.BadSignature, Offer.DoesNotExist):
        return render(
            request,
            "offers/manage/confirm_invalid.html",
            {"reason": "invalid", "link_days": settings.OFFERS_CONFIRM_LINK_DAYS},
            status=400,
        )
    if offer.status != Offer.Status.PUBLISHED:
        return render(
            request,
            "offers/manage/confirm_invalid.html",
            {"reason": "not_published", "offer": offer},
            status=400,
        )
    if request.method == "POST":
        offer = services.offer_confirm(offer=offer)
        return render(request, "offers/manage/confirm_done.html", {"offer": offer})
    return render(request, "offers/manage/confirm.html", {"offer": offer})


# --- Staff: review, stale offers, statistics --------------------------------------------------


@staff_required
def review_queue(request: HttpRequest) -> HttpResponse:
    items = [
        {
            "offer": offer,
            "differences": queries.differences(offer) if offer.revision_of_id else None,
        }
        for offer in queries.review_queue().select_related("submitted_by")
    ]
    return render(request, "offers/manage/review_queue.html", {"items": items})


@staff_required
def offer_review(request: HttpRequest, pk: int) -> HttpResponse:
    offer = get_object_or_404(
        queries.with_details(Offer.objects.select_related("revision_of", "submitted_by")), pk=pk
    )
    action = request.POST.get("action") if request.method == "POST" else None
    reject_form = RejectForm(request.POST if action == "reject" else None)
    if action is not None:
        if offer.status != Offer.Status.REVIEW:
            messages.error(request, _("This offer is not in review any more."))
            return redirect("offers:review_queue")
        if action == "approve":
            published = services.offer_approve(user=request.user, offer=offer)
            messages.success(
                request,
                _("“%(title)s” is approved and on the map.") % {"title": published.title},
            )
            return redirect("offers:review_queue")
        if action == "reject" and reject_form.is_valid():
            services.offer_reject(
                user=request.user, offer=offer, reason=reject_form.cleaned_data["reason"]
            )
            messages.success(
                request,
                _("“%(title)s” is sent back to the organisation with your reason.")
                % {"title": offer.title},
            )
            return redirect("offers:review_queue")
    return render(
        request,
        "offers/manage/review.html",
        {
            "offer": offer,
            "state": queries.offer_state(offer),
            "differences": queries.differences(offer) if offer.revision_of_id else None,
            "reject_form": reject_form,
            "translations": [t for t in offer.translations.all()],
            "language_names": dict(settings.LANGUAGES),
        },
    )


@staff_required
def stale_offers(request: HttpRequest) -> HttpResponse:
    """Offers reminded but not confirmed yet, and offers that left the map; staff may confirm
    them (after a phone call, say) or open them for editing."""
    if request.method == "POST":
        offer = get_object_or_404(Offer.objects.originals(), pk=_posted_pk(request, "offer"))
        _confirm_with_message(request, offer)
        return redirect("offers:stale")
    published = (
        Offer.objects.originals()
        .filter(status=Offer.Status.PUBLISHED)
        .select_related("organisation", "category")
    )
    groups = [
        {
            "heading": _("Reminded, not confirmed yet"),
            "empty": _("No offer is waiting for a confirmation."),
            "offers": published.filter(
                reminder_sent_at__isnull=False, left_map_at__isnull=True
            ).order_by("reminder_sent_at"),
        },
        {
            "heading": _("Off the map: not confirmed in time"),
            "empty": _("No offer has left the map."),
            "offers": published.filter(left_map_at__isnull=False).order_by("-left_map_at"),
        },
    ]
    return render(request, "offers/manage/stale.html", {"groups": groups})


@staff_required
def statistics(request: HttpRequest) -> HttpResponse:
    """Map views per day for the last 30 days and the most viewed offers."""
    today = timezone.localdate()
    since = today - timedelta(days=queries.RECENT_DAYS - 1)
    per_day = dict(
        DailyViews.objects.filter(offer__isnull=True, day__gte=since).values_list("day", "count")
    )
    days = [
        (today - timedelta(days=n), per_day.get(today - timedelta(days=n), 0))
        for n in range(queries.RECENT_DAYS)
    ]
    map_total = (
        DailyViews.objects.filter(offer__isnull=True).aggregate(total=Sum("count"))["total"] or 0
    )
    top = (
        Offer.objects.originals()
        .annotate(
            recent=Sum("daily_views__count", filter=Q(daily_views__day__gte=since), default=0),
            total=Sum("daily_views__count", default=0),
        )
        .filter(total__gt=0)
        .select_related("organisation")
        .order_by("-recent", "-total", "title")[:20]
    )
    return render(
        request,
        "offers/manage/statistics.html",
        {
            "days": days,
            "map_recent": sum(count for _day, count in days),
            "map_total": map_total,
            "top": top,
            "recent_days": queries.RECENT_DAYS,
            "on_map": Offer.objects.public().count(),
            "in_review": Offer.objects.filter(status=Offer.Status.REVIEW).count(),
        },
    )
