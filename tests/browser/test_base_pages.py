"""The base layout in a real browser: language and direction, landmarks, skip link, the
language switcher, phone widths, pages without JavaScript and the Content Security Policy."""

import re

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

HOME_DE, HOME_AR = "/", "/ar/"
LOGIN_DE, LOGIN_AR = "/accounts/login/", "/ar/accounts/login/"


def wait_for_path(page: Page, path: str) -> None:
    """Wait until the page shows `path` (with query), matched exactly rather than as a glob."""
    page.wait_for_url(lambda url: path_of(url) == path)


def html_attributes(page: Page) -> tuple[str, str]:
    html = page.locator("html")
    return html.get_attribute("lang"), html.get_attribute("dir")


def path_of(url: str) -> str:
    """The path and query of a URL, without scheme and host."""
    return re.sub(r"^https?://[^/]+", "", url)


def test_home_page_in_german(page, reference_data):
    page.goto(HOME_DE)

    assert html_attributes(page) == ("de", "ltr")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    # The district filter lists Dortmund's 12 districts from the database (and "all").
    expect(page.locator("#filter-district option")).to_have_count(13)
    expect(page.get_by_role("banner")).to_have_count(1)
    expect(page.get_by_role("navigation")).to_have_count(2)
    expect(page.locator("header nav.languages")).to_be_visible()
    expect(page.get_by_role("main")).to_have_count(1)
    expect(page.get_by_role("contentinfo")).to_have_count(1)


def test_skip_link_is_first_focus_stop_and_shows_on_focus(page):
    page.goto(HOME_DE)
    skip_link = page.locator("a.skip-link")
    hidden_box = skip_link.bounding_box()
    assert hidden_box["y"] + hidden_box["height"] <= 0, "skip link should start off-screen"

    page.keyboard.press("Tab")

    expect(skip_link).to_be_focused()
    box = skip_link.bounding_box()
    assert box["y"] >= 0 and box["y"] + box["height"] <= page.viewport_size["height"], box
    assert box["x"] >= 0 and box["x"] + box["width"] <= page.viewport_size["width"], box
    assert skip_link.get_attribute("href") == "#main"

    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()


def test_home_page_in_arabic_is_right_to_left_and_mirrored(new_page):
    middle = 390 / 2
    german, arabic = new_page(), new_page()
    german.goto(HOME_DE)
    arabic.goto(HOME_AR)

    assert html_attributes(arabic) == ("ar", "rtl")
    expect(arabic.get_by_role("heading", level=1)).to_be_visible()
    german_brand = german.locator("a.brand").bounding_box()
    arabic_brand = arabic.locator("a.brand").bounding_box()
    assert german_brand["x"] + german_brand["width"] < middle, german_brand
    assert arabic_brand["x"] > middle, arabic_brand


def test_language_switcher_keeps_the_page(page):
    page.goto(LOGIN_DE)
    expect(page.locator("nav.languages a[aria-current]")).to_have_text("Deutsch")

    page.get_by_role("link", name="العربية", exact=True).click()
    wait_for_path(page, LOGIN_AR)
    assert html_attributes(page) == ("ar", "rtl")
    expect(page.locator("nav.languages a[aria-current]")).to_have_text("العربية")

    page.get_by_role("link", name="Deutsch", exact=True).click()
    wait_for_path(page, LOGIN_DE)
    assert html_attributes(page) == ("de", "ltr")


def test_language_switcher_keeps_the_query_string(page):
    page.goto(f"{LOGIN_DE}?next=/accounts/")

    page.get_by_role("link", name="العربية", exact=True).click()
    wait_for_path(page, f"{LOGIN_AR}?next=/accounts/")
    # After logging in, the visitor lands on the Arabic page they were headed for.
    assert page.locator("input[name=next]").get_attribute("value") == "/ar/accounts/"

    page.get_by_role("link", name="Deutsch", exact=True).click()
    wait_for_path(page, f"{LOGIN_DE}?next=/accounts/")


@pytest.mark.parametrize("width", [360, 390])
@pytest.mark.parametrize("path", [HOME_DE, HOME_AR, LOGIN_DE, LOGIN_AR])
def test_no_horizontal_scrolling_on_phones(new_page, reference_data, path, width):
    page = new_page(viewport={"width": width, "height": 800})
    page.goto(path)

    scroll_width, inner_width = page.evaluate(
        "[document.documentElement.scrollWidth, window.innerWidth]"
    )
    assert inner_width == width
    assert scroll_width <= inner_width, f"{path} is {scroll_width}px wide at {width}px"


def test_pages_work_without_javascript(new_page, reference_data):
    page = new_page(java_script_enabled=False)
    page.goto(HOME_DE)
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(page.locator("#filter-district option")).to_have_count(13)

    page.get_by_role("link", name="العربية", exact=True).click()
    wait_for_path(page, HOME_AR)
    assert html_attributes(page) == ("ar", "rtl")
    expect(page.get_by_role("heading", level=1)).to_be_visible()

    page.get_by_role("link", name="English", exact=True).click()
    wait_for_path(page, "/en/")
    assert html_attributes(page) == ("en", "ltr")

    page.get_by_role("link", name="Deutsch", exact=True).click()
    wait_for_path(page, HOME_DE)
    assert html_attributes(page) == ("de", "ltr")


@pytest.mark.parametrize("path", [HOME_DE, HOME_AR, LOGIN_DE, LOGIN_AR])
def test_no_content_security_policy_errors(page, path):
    console: list[str] = []
    page.on("console", lambda message: console.append(f"{message.type}: {message.text}"))
    page_errors: list[str] = []
    page.on("pageerror", lambda error: page_errors.append(str(error)))

    response = page.goto(path, wait_until="load")

    assert response.ok
    assert "content-security-policy" in response.headers  # Playwright lower-cases the names
    csp_messages = [text for text in console if "Content Security Policy" in text]
    assert not csp_messages, "\n".join(csp_messages)
    assert not page_errors, "\n".join(page_errors)
