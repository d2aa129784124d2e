"""iCalendar (.ics) files for confirmed and cancelled appointments, one per side.

The UID stays the same for an assignment, so a cancellation replaces the event in the
recipient's calendar (METHOD:CANCEL, STATUS:CANCELLED, a higher SEQUENCE).
"""

from datetime import datetime
from urllib.parse import urlparse

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from teilhabe.mediation.models import Assignment, Setting

FILENAME = "termin.ics"
MIME = "text/calendar"


def _uid(assignment: Assignment) -> str:
    host = urlparse(settings.SITE_URL).hostname or "teilhabe"
    return f"mediation-assignment-{assignment.pk}@{host}"


def _location(assignment: Assignment) -> str:
    request = assignment.request
    if request.setting == Setting.IN_PERSON and request.place_id:
        place = request.place
        parts = [place.name, place.street, f"{place.postcode} {place.city}".strip()]
        return ", ".join(part for part in parts if part)
    return str(request.get_setting_display())


def appointment_ics(
    assignment: Assignment,
    *,
    for_mediator: bool,
    cancelled: bool = False,
    now: datetime | None = None,
) -> str:
    """The appointment as an .ics text. The mediator's copy names the institution; the
    requester's names the mediator's first name and contact channel (what they may see)."""
    request = assignment.request
    calendar = Calendar()
    calendar.add("prodid", f"-//{settings.SITE_NAME}//mediation//EN")
    calendar.add("version", "2.0")
    calendar.add("method", "CANCEL" if cancelled else "PUBLISH")
    event = Event()
    event.add("uid", _uid(assignment))
    event.add("dtstamp", now or timezone.now())
    event.add("dtstart", request.starts_at)
    event.add("dtend", request.ends_at)
    event.add("sequence", 1 if cancelled else 0)
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    language = request.language.label + (f" – {request.dialect}" if request.dialect else "")
    event.add("summary", _("Language mediation: %(language)s") % {"language": language})
    event.add("location", _location(assignment))
    if for_mediator:
        lines = [request.institution.name, request.topic]
        if request.institution.phone:
            lines.append(
                _("Phone of the institution: %(phone)s") % {"phone": request.institution.phone}
            )
    else:
        mediator = assignment.mediator
        lines = [
            request.topic,
            _("Mediator: %(name)s, %(contact)s")
            % {"name": mediator.first_name, "contact": mediator.contact()},
        ]
    event.add("description", "\n".join(line for line in lines if line))
    calendar.add_component(event)
    return calendar.to_ical().decode("utf-8")
