"""Property-based fuzzing of the whole public API from its own OpenAPI description
(schemathesis): whatever parameters a client sends, valid by the description or not, the
answer is never a server error, and a refusal says why."""

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode

from teilhabe.api import api
from tests.offers.test_api import offers  # noqa: F401 - fixture

EXAMPLES_PER_OPERATION = 20

# The project's own description of the API, as /api/openapi.json serves it.
schema = schemathesis.openapi.from_dict(api.get_openapi_schema())


@pytest.fixture
def wsgi_app(offers):  # noqa: F811
    """The real WSGI application on the test database. Like Django's test client, keep the
    request signals from closing the test's transaction-wrapped connection."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield WSGIHandler()
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def _cases(operation):
    modes = [GenerationMode.POSITIVE]
    if any(True for _ in operation.iter_parameters()):
        modes.append(GenerationMode.NEGATIVE)
    return st.one_of(*(operation.as_strategy(generation_mode=mode) for mode in modes))


def test_no_request_makes_the_api_fail(wsgi_app):
    # One test for all operations, so the data is set up once (a test per operation would
    # set it up fourteen times).
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 14
    seen: list[int] = []

    for operation in operations:

        @given(case=_cases(operation))
        @settings(
            max_examples=EXAMPLES_PER_OPERATION,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def no_server_error(case):
            response = case.call(app=wsgi_app)
            seen.append(response.status_code)
            assert response.status_code < 500, (response.status_code, case.path, case.query)
            if response.status_code >= 400:
                assert response.json()["detail"], response.text

        no_server_error()

    assert 200 in seen and any(400 <= status < 500 for status in seen)
