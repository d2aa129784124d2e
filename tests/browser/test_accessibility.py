"""axe-core finds no WCAG (or best-practice) violations on the public pages, in German and in
Arabic (right to left), at phone size."""

import pytest

pytestmark = pytest.mark.browser


@pytest.mark.parametrize(
    "path",
    ["/", "/ar/", "/accounts/login/", "/ar/accounts/login/"],
    ids=["home-de", "home-ar", "login-de", "login-ar"],
)
def test_no_axe_violations(page, reference_data, axe, path):
    page.goto(path)

    results = axe.run(page)

    assert results.violations_count == 0, f"{path}:\n{results.generate_report()}"
