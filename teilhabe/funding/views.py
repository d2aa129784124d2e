"""Funding pages for everyone and for organisations: the programmes, one's applications, the
profile with the bank account, the application form with its measures and documents, PDFs.

Thin views: every change goes through `services`; reads and permissions through `queries`.
Another organisation's application answers 404, on GET and on POST.
"""

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from teilhabe.core import roles
from teilhabe.core.models import Organisation
from teilhabe.core.permissions import login_required, role_required
from teilhabe.funding import queries, services
from teilhabe.funding.forms import (
    ApplicationForm,
    ApplicationStartForm,
    AttachmentForm,
    MeasureForm,
    ProfileForm,
)
from teilhabe.funding.models import Application, Attachment, Measure, MeasureType, Period

member_required = role_required(roles.ORGANISATION_MEMBER)


def programmes(request: HttpRequest) -> HttpResponse:
    """Public: the programmes with open or coming application windows and their flat rates."""
    return render(
        request,
        "funding/programmes.html",
        {"periods": queries.upcoming_and_open_periods(), "now": timezone.now()},
    )


# --- The organisation's own pages -----------------------------------------------------------


def _own_application(user, pk: int) -> Application:
    """The application if the user acts for its organisation, else 404."""
    application = get_object_or_404(
        Application.objects.select_related("period__programme", "organisation"), pk=pk
    )
    if not queries.acts_for(user, application.organisation_id):
        raise Http404
    return application


def _show_error(request: HttpRequest, error: services.FundingError) -> None:
    messages.error(request, error.message)
    for problem in error.problems:
        messages.error(request, problem)


@member_required
def my_applications(request: HttpRequest) -> HttpResponse:
    organisations = list(queries.organisations_for(request.user).order_by("name"))
    applications = (
        queries.applications_of_member(request.user)
        .select_related("period__programme", "organisation", "decision")
        .order_by("-created_at")
    )
    return render(
        request,
        "funding/organisation/mine.html",
        {
            "organisations": [
                {"organisation": o, "profile": services.profile_for(o)} for o in organisations
            ],
            "applications": applications,
            "periods": queries.open_periods(),
        },
    )


@member_required
def profile_edit(request: HttpRequest, organisation_pk: int) -> HttpResponse:
    organisation = get_object_or_404(Organisation, pk=organisation_pk)
    if not queries.acts_for(request.user, organisation.pk):
        raise Http404
    profile = services.profile_for(organisation)
    initial = {name: getattr(profile, name) for name in (*services.PROFILE_FIELDS, "legal_form")}
    if not profile.pk:
        initial.update(contact_name=organisation.contact_name, contact_email=organisation.email)
        initial["contact_phone"] = organisation.phone
    form = ProfileForm(request.POST or None, initial=initial, masked_iban=profile.iban_masked)
    if request.method == "POST" and form.is_valid():
        services.profile_save(user=request.user, organisation=organisation, data=form.cleaned_data)
        messages.success(request, _("The funding profile is saved."))
        return redirect("funding:mine")
    return render(
        request,
        "funding/organisation/profile.html",
        {"organisation": organisation, "profile": profile, "form": form},
    )


@member_required
def application_start(request: HttpRequest, period_pk: int) -> HttpResponse:
    period = get_object_or_404(Period.objects.select_related("programme"), pk=period_pk)
    organisations = queries.organisations_for(request.user)
    closed = services.window_problem(period)
    form = ApplicationStartForm(request.POST or None, organisations=organisations)
    if request.method == "POST" and not closed and form.is_valid():
        try:
            application = services.application_start(
                user=request.user,
                period=period,
                organisation=form.cleaned_data["organisation"],
                title=form.cleaned_data["title"],
            )
        except services.FundingError as error:
            closed = error.message
        else:
            messages.success(request, _("The draft is saved. Now add the measures."))
            return redirect("funding:application", pk=application.pk)
    return render(
        request,
        "funding/organisation/start.html",
        {"period": period, "form": form, "closed": closed, "has_organisations": organisations},
    )


@member_required
def application_edit(request: HttpRequest, pk: int) -> HttpResponse:
    application = _own_application(request.user, pk)
    form = None
    if application.is_editable:
        form = ApplicationForm(
            request.POST or None,
            initial={
                "title": application.title,
                "summary": application.summary,
                "action_fields": list(application.action_fields.all()),
            },
        )
        if request.method == "POST" and form.is_valid():
            try:
                services.application_update(
                    user=request.user, application=application, **form.cleaned_data
                )
            except services.FundingError as error:
                _show_error(request, error)
            else:
                messages.success(request, _("Saved."))
            return redirect("funding:application", pk=application.pk)
    elif request.method == "POST":
        messages.error(request, _("This application has been submitted and cannot be changed now."))
        return redirect("funding:application", pk=application.pk)
    return _application_page(request, application, form=form)


def _application_page(request, application, *, form=None, upload_form=None, status=200):
    detailed = queries.with_details(Application.objects.filter(pk=application.pk)).get()
    editable = detailed.is_editable
    return render(
        request,
        "funding/organisation/application.html",
        {
            "application": detailed,
            "form": form,
            "upload_form": upload_form or (AttachmentForm() if editable else None),
            "measure_types": queries.eligible_measure_types(detailed) if editable else [],
            "problems": services.submission_problems(detailed) if editable else [],
            "window_problem": services.window_problem(detailed.period)
            if detailed.status == Application.Status.DRAFT
            else None,
            "withdrawable": detailed.status in services.WITHDRAWABLE,
            "decision": getattr(detailed, "decision", None),
        },
        status=status,
    )


def _measure_page(request, application, measure_type, measure=None):
    initial = MeasureForm.initial_for(measure) if measure else {}
    form = MeasureForm(request.POST or None, measure_type=measure_type, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.measure_save(
                user=request.user,
                application=application,
                data=form.measure_data(),
                measure=measure,
            )
        except services.MeasureInvalid as error:
            form.add_problems(error.errors)
        except services.FundingError as error:
            _show_error(request, error)
            return redirect("funding:application", pk=application.pk)
        else:
            messages.success(request, _("The measure is saved."))
            return redirect("funding:application", pk=application.pk)
    return render(
        request,
        "funding/organisation/measure.html",
        {
            "application": application,
            "measure_type": measure_type,
            "measure": measure,
            "form": form,
        },
    )


@member_required
def measure_create(request: HttpRequest, pk: int, type_pk: int) -> HttpResponse:
    application = _own_application(request.user, pk)
    measure_type = get_object_or_404(
        MeasureType, pk=type_pk, programme_id=application.period.programme_id
    )
    if not application.is_editable:
        messages.error(request, _("This application has been submitted and cannot be changed now."))
        return redirect("funding:application", pk=application.pk)
    return _measure_page(request, application, measure_type)


@member_required
def measure_edit(request: HttpRequest, pk: int, measure_pk: int) -> HttpResponse:
    application = _own_application(request.user, pk)
    measure = get_object_or_404(
        Measure.objects.select_related("measure_type"), pk=measure_pk, application=application
    )
    if not application.is_editable:
        messages.error(request, _("This application has been submitted and cannot be changed now."))
        return redirect("funding:application", pk=application.pk)
    return _measure_page(request, application, measure.measure_type, measure)


@member_required
@require_POST
def measure_delete(request: HttpRequest, pk: int, measure_pk: int) -> HttpResponse:
    application = _own_application(request.user, pk)
    measure = get_object_or_404(Measure, pk=measure_pk, application=application)
    try:
        services.measure_delete(user=request.user, application=application, measure=measure)
    except services.FundingError as error:
        _show_error(request, error)
    else:
        messages.success(request, _("The measure is removed."))
    return redirect("funding:application", pk=application.pk)


@member_required
@require_POST
def attachment_upload(request: HttpRequest, pk: int) -> HttpResponse:
    application = _own_application(request.user, pk)
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.attachment_add(
                user=request.user,
                application=application,
                upload=form.cleaned_data["file"],
                kind=form.cleaned_data["kind"],
            )
        except services.FundingError as error:
            form.add_error("file", error.message)
        else:
            messages.success(request, _("The document is attached."))
            return redirect("funding:application", pk=application.pk)
    if not application.is_editable:
        messages.error(request, _("This application has been submitted and cannot be changed now."))
        return redirect("funding:application", pk=application.pk)
    form_for_page = ApplicationForm(
        initial={
            "title": application.title,
            "summary": application.summary,
            "action_fields": list(application.action_fields.all()),
        }
    )
    return _application_page(request, application, form=form_for_page, upload_form=form)


@member_required
@require_POST
def attachment_delete(request: HttpRequest, attachment_pk: int) -> HttpResponse:
    attachment = get_object_or_404(
        Attachment.objects.select_related("application"), pk=attachment_pk
    )
    application = _own_application(request.user, attachment.application_id)
    try:
        services.attachment_delete(user=request.user, attachment=attachment)
    except services.FundingError as error:
        _show_error(request, error)
    else:
        messages.success(request, _("The document is removed."))
    return redirect("funding:application", pk=application.pk)


@member_required
@require_POST
def application_submit(request: HttpRequest, pk: int) -> HttpResponse:
    application = _own_application(request.user, pk)
    try:
        services.application_submit(user=request.user, application=application)
    except services.FundingError as error:
        _show_error(request, error)
        return redirect("funding:application", pk=application.pk)
    messages.success(
        request,
        _("Application %(reference)s is submitted. A receipt with a PDF summary is on its way.")
        % {"reference": application.reference},
    )
    return redirect("funding:mine")


@member_required
@require_POST
def application_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    application = _own_application(request.user, pk)
    try:
        services.application_withdraw(user=request.user, application=application)
    except services.FundingError as error:
        _show_error(request, error)
        return redirect("funding:application", pk=application.pk)
    messages.success(request, _("The application is withdrawn."))
    return redirect("funding:mine")


# --- Documents: served only to those allowed, never as public media -----------------------


def _readable_application(user, pk: int) -> Application:
    application = get_object_or_404(Application.objects.select_related("organisation"), pk=pk)
    if not queries.can_read_application(user, application):
        raise Http404
    return application


@login_required
def attachment_download(request: HttpRequest, attachment_pk: int) -> FileResponse:
    attachment = get_object_or_404(Attachment, pk=attachment_pk)
    _readable_application(request.user, attachment.application_id)
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(
        handle,
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )


@login_required
def summary_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    application = _readable_application(request.user, pk)
    content = services.application_summary_pdf(application)
    return _pdf_response(content, f"antrag-{application.reference}.pdf")


@login_required
def letter_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    application = get_object_or_404(Application, pk=pk)
    if not queries.can_read_letter(request.user, application):
        raise Http404
    decision = getattr(application, "decision", None)
    if decision is None:
        raise Http404
    content = services.decision_letter_pdf(decision)
    return _pdf_response(content, f"bescheid-{application.reference}.pdf")


def _pdf_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
