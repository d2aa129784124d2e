"""Matching reasons in the staff member's language: matching.py gives codes and numbers; the
words are made here (gettext), so staff read the ranking in German, Arabic …"""

from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from teilhabe.core.models import District, Language
from teilhabe.mediation import matching
from teilhabe.mediation.models import Area, LanguageLevel, Setting

TITLES = {
    "language": gettext_lazy("Language"),
    "level": gettext_lazy("Level"),
    "setting": gettext_lazy("Setting"),
    "area": gettext_lazy("Area"),
    "district": gettext_lazy("Districts"),
    "travel": gettext_lazy("Travel"),
    "available": gettext_lazy("Availability"),
    "booked": gettext_lazy("Calendar"),
    "weekly_max": gettext_lazy("Weekly maximum"),
    "fairness": gettext_lazy("Fairness"),
    "gender": gettext_lazy("Gender preference"),
}


@dataclass(frozen=True)
class ShownReason:
    title: str
    ok: bool
    hard: bool
    text: str


def _hhmm(moment) -> str:
    return timezone.localtime(moment).strftime("%H:%M")


def _label(choices, value) -> str:
    return str(dict(choices).get(value, value or "–"))


def _district(pk) -> str:
    district = District.objects.filter(pk=pk).first() if pk else None
    return district.name if district else "–"


def _text(reason: matching.Reason, setting: str) -> str:
    p = reason.params
    code = reason.code
    if code == "language":
        language = Language.objects.filter(code=p.get("language")).first()
        name = language.label if language else str(p.get("language"))
        if reason.ok:
            dialect = f" – {p['dialect']}" if p.get("dialect") else ""
            return f"{name}{dialect}, {_label(LanguageLevel.choices, p.get('level'))}"
        return _("does not speak the variety %(dialect)s") % {"dialect": p.get("dialect")}
    if code == "level":
        return _label(LanguageLevel.choices, p.get("level"))
    if code == "setting":
        label = _label(Setting.choices, p.get("setting"))
        return (
            _("accepts: %(setting)s") % {"setting": label}
            if reason.ok
            else _("does not accept: %(setting)s") % {"setting": label}
        )
    if code == "area":
        label = _label(Area.choices, p.get("area"))
        if reason.ok:
            return _("works in %(area)s, %(count)s done") % {
                "area": label,
                "count": p.get("experience", 0),
            }
        return _("does not work in %(area)s") % {"area": label}
    if code == "district":
        if setting != Setting.IN_PERSON:
            return _("no travel needed")
        if p.get("whole_city"):
            return _("goes anywhere in the city")
        name = _district(p.get("district"))
        return (
            _("goes to %(district)s") % {"district": name}
            if reason.ok
            else _("does not go to %(district)s") % {"district": name}
        )
    if code == "travel":
        return _("%(km)s km from the home district") % {"km": p.get("km", 0)}
    if code == "available":
        window = p.get("window")
        if window:
            return _("available %(start)s–%(end)s") % {
                "start": _hhmm(window[0]),
                "end": _hhmm(window[1]),
            }
        return _("not available at that time")
    if code == "booked":
        clash = p.get("clash")
        if clash:
            return _("already booked %(start)s–%(end)s") % {
                "start": _hhmm(clash[0]),
                "end": _hhmm(clash[1]),
            }
        return _("free at that time (travel time included)")
    if code == "weekly_max":
        return _("%(booked)s of at most %(maximum)s this week") % {
            "booked": p.get("booked", 0),
            "maximum": p.get("maximum", 0),
        }
    if code == "fairness":
        return _("%(count)s assignments in recent weeks") % {"count": p.get("recent", 0)}
    if code == "gender":
        return _("preference met") if reason.ok else _("preference not met")
    return reason.detail


def shown(candidate: matching.Candidate, setting: str) -> list[ShownReason]:
    return [
        ShownReason(
            title=str(TITLES.get(reason.code, reason.code)),
            ok=reason.ok,
            hard=reason.hard,
            text=_text(reason, setting),
        )
        for reason in candidate.reasons
    ]
