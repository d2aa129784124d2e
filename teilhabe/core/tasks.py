"""Background work of core. With the immediate backend it runs at once; in production the
database backend and `manage.py db_worker` run it outside the request."""

import base64

from django.core.mail import EmailMultiAlternatives
from django_tasks import task


@task()
def send_email(
    *,
    to: list[str],
    subject: str,
    body: str,
    html: str | None = None,
    attachments: list[list[str]] | None = None,
) -> int:
    """Send one e-mail. Attachments are [file name, content, MIME type] with an optional fourth
    item "base64" when the content is binary (task arguments must be JSON)."""
    message = EmailMultiAlternatives(subject=subject, body=body, to=to)
    if html:
        message.attach_alternative(html, "text/html")
    for filename, content, mimetype, *encoding in attachments or []:
        data = base64.b64decode(content) if encoding == ["base64"] else content
        message.attach(filename, data, mimetype)
    return message.send()
