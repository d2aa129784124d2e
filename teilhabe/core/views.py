"""Staff pages and the health check. Thin: reads come from queries/audit."""

from django.core.paginator import Paginator
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from teilhabe.core import audit
from teilhabe.core.models import ActionField, District, Language, Organisation, TargetGroup, User
from teilhabe.core.permissions import staff_required


@staff_required
def staff_dashboard(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "core/staff_dashboard.html",
        {
            "counts": [
                (Organisation._meta.verbose_name_plural, Organisation.objects.count()),
                (District._meta.verbose_name_plural, District.objects.count()),
                (Language._meta.verbose_name_plural, Language.objects.count()),
                (ActionField._meta.verbose_name_plural, ActionField.objects.count()),
                (TargetGroup._meta.verbose_name_plural, TargetGroup.objects.count()),
                (User._meta.verbose_name_plural, User.objects.count()),
            ],
            "recent": audit.recent_entries()[:10],
        },
    )


@staff_required
def staff_audit(request: HttpRequest) -> HttpResponse:
    entries = audit.recent_entries(model_label=request.GET.get("model") or None)
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    return render(request, "core/staff_audit.html", {"page": page})


def healthz(request: HttpRequest) -> HttpResponse:
    """For the reverse proxy and monitoring: the process answers and the database is reachable."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("ok", content_type="text/plain")
