"""Helpers for the payment, proof-of-use and report stories: an approved grant, paid or not.

Built on the application stories of conftest.py (vera of "Nachbarschaftstreff Nord", alice of
the centre's staff), through the real services.
"""

from datetime import date

from teilhabe.funding import payment_services, services
from teilhabe.funding.models import Application, Decision, Measure


def granted(user, organisation, period, staff, **kwargs) -> Application:
    """An application approved in full (two arrival meeting points unless told otherwise)."""
    from tests.funding.conftest import checked_application

    application = checked_application(user, organisation, period, staff, **kwargs)
    services.application_decide(
        user=staff, application=application, outcome="approved", reason="Gut begründet."
    )
    application.refresh_from_db()
    return Application.objects.select_related("decision", "period", "organisation").get(
        pk=application.pk
    )


def cost_grant(user, organisation, period, staff, *, total_cost_cents=300_000) -> Application:
    """An approved application with one cost line (information, 10 % own contribution)."""
    from tests.funding.conftest import draft_application, information

    application = draft_application(user, organisation, period, meeting_points=1)
    services.measure_save(
        user=user,
        application=application,
        data=services.MeasureData(
            measure_type=information(period.programme),
            title="Infoabende",
            total_cost_cents=total_cost_cents,
            own_contribution_cents=total_cost_cents // 10,
        ),
    )
    services.application_submit(user=user, application=application)
    services.formal_check_record(
        user=staff,
        application=application,
        checklist={key: True for key, _label in services.CHECKLIST},
        outcome="passed",
    )
    services.application_decide(
        user=staff, application=application, outcome="approved", reason="Gut begründet."
    )
    return Application.objects.select_related("decision", "period", "organisation").get(
        pk=application.pk
    )


def paid_in_full(application: Application, staff, *, on: date | None = None) -> None:
    decision = Decision.objects.get(application=application)
    on = on or date.today()
    plan = payment_services.schedule_in_full(user=staff, decision=decision, due_on=on)
    instalment = plan.instalments.get()
    payment_services.payment_record(
        user=staff, instalment=instalment, paid_on=on, amount_cents=instalment.amount_cents
    )


def meeting_point_line(application: Application) -> Measure:
    return application.measures.get(measure_type__slug="ankommenstreffpunkt")


def url(name: str, language: str = "en", **kwargs) -> str:
    """A funding URL in a given interface language (/en/… for English, unprefixed for German),
    whatever language an earlier request in this test left active."""
    from django.urls import reverse
    from django.utils import translation

    with translation.override(language):
        return reverse(f"funding:{name}", kwargs=kwargs or None)
