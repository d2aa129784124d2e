"""Background work of the funding module (django-tasks): decision letters."""

from django_tasks import task


@task()
def send_decision_letter(*, decision_id: int) -> None:
    """Make the decision letter (PDF) and e-mail it to the organisation."""
    from teilhabe.funding.services import decision_letter_send

    decision_letter_send(decision_id)
