"""PDF documents (application summary, decision letter) from HTML templates with WeasyPrint.

Official documents are in German, the administrative language (§ 23 VwVfG), whatever language
the person uses on the site; their templates are written in German for that reason.
"""

from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from weasyprint import CSS, HTML

STYLESHEET = Path(__file__).with_name("pdf.css")


def render_pdf(template: str, context: dict) -> bytes:
    with translation.override("de"):
        html = render_to_string(template, {"site_name": settings.SITE_NAME, **context})
    # No base_url: nothing is loaded from outside; the styles come from pdf.css.
    return HTML(string=html).write_pdf(stylesheets=[CSS(filename=str(STYLESHEET))])
