"""What the real-browser stories do on many pages: log in through the real forms (with the
second factor for staff), and check a page for axe-core violations and sideways scrolling at
phone widths, in German and, where asked, in Arabic (right to left)."""

import re

from axe_playwright_python.sync_playwright import Axe
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page

from tests.conftest import PASSWORD, current_code


def assert_no_axe_violations(page: Page, axe: Axe) -> None:
    results = axe.run(page)
    assert results.violations_count == 0, f"{page.url}:\n{results.generate_report()}"


def assert_no_horizontal_scrolling(page: Page) -> None:
    """At 390 px and at the narrowest common phone width, 360 px."""
    phone = page.viewport_size
    for width in (phone["width"], 360):
        page.set_viewport_size({"width": width, "height": phone["height"]})
        scroll_width, inner_width = page.evaluate(
            "[document.documentElement.scrollWidth, window.innerWidth]"
        )
        assert scroll_width <= inner_width, f"{page.url} is {scroll_width}px wide at {width}px"
    page.set_viewport_size(phone)


def check_page(page: Page, axe: Axe, *, arabic: bool = True) -> None:
    """The page as it is: no axe violations and no sideways scrolling; then (arabic) the same
    page in Arabic, right to left, the same checks; back to the German page."""
    assert_no_axe_violations(page, axe)
    assert_no_horizontal_scrolling(page)
    if arabic:
        german = page.url
        page.goto(re.sub(r"^(https?://[^/]+)/", r"\1/ar/", german))
        assert page.locator("html").get_attribute("dir") == "rtl"
        assert_no_axe_violations(page, axe)
        assert_no_horizontal_scrolling(page)
        page.goto(german)


def log_in(page: Page, username: str, next_path: str) -> None:
    page.goto(f"/accounts/login/?next={next_path}")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").click()


def log_in_verified(page: Page, user, next_path: str) -> None:
    """Log in and pass the second factor with the user's authenticator code; ends on next_path."""
    log_in(page, user.username, next_path)
    page.wait_for_url(re.compile(r"/accounts/"))
    page.fill("input[name=token]", current_code(TOTPDevice.objects.get(user=user)))
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(re.escape(next_path) + "$"))
