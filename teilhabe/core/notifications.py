"""E-mail notifications, rendered in the recipient's language and sent as a background task."""

import base64

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from teilhabe.core.tasks import send_email


def notify(
    *,
    to: list[str],
    template: str,
    context: dict,
    language: str | None = None,
    attachments: list[tuple[str, str | bytes, str]] | None = None,
) -> None:
    """Render `<template>_subject.txt` and `<template>.txt` and queue the e-mail.

    Rendering happens now (in the recipient's language); only plain strings go to the task queue,
    so binary attachments (a PDF) travel base64-encoded. Attachments are (file name, content,
    MIME type), e.g. ("termin.ics", ics_text, "text/calendar").
    """
    recipients = [address for address in to if address]
    if not recipients:
        return
    with translation.override(language or settings.LANGUAGE_CODE):
        full_context = {"site_name": settings.SITE_NAME, "site_url": settings.SITE_URL, **context}
        subject = " ".join(render_to_string(f"{template}_subject.txt", full_context).split())
        body = render_to_string(f"{template}.txt", full_context)
    send_email.enqueue(
        to=recipients,
        subject=subject,
        body=body,
        attachments=[_serialisable(attachment) for attachment in attachments or []],
    )


def _serialisable(attachment: tuple[str, str | bytes, str]) -> list[str]:
    filename, content, mimetype = attachment
    if isinstance(content, bytes):
        return [filename, base64.b64encode(content).decode("ascii"), mimetype, "base64"]
    return [filename, content, mimetype, "text"]
