"""Background work of core. With the immediate backend it runs at once; in production the
database backend and `manage.py db_worker` run it outside the request."""

from django.core.mail import EmailMultiAlternatives
from django_tasks import task


@task()
def send_email(
    *,
    to: list[str],
    subject: str,
    body: str,
    html: str | None = None,
    attachments: list[tuple[str, str, str]] | None = None,
) -> int:
    """Send one e-mail. Attachments are (file name, text content, MIME type)."""
    message = EmailMultiAlternatives(subject=subject, body=body, to=to)
    if html:
        message.attach_alternative(html, "text/html")
    for filename, content, mimetype in attachments or []:
        message.attach(filename, content, mimetype)
    return message.send()
