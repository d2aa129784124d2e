"""Shared answers (offers/answers.py): the public map data and open-data API answer a repeated
question from the cache before the rest of the middleware runs, and only what may be shared."""

import time

import pytest
from django.http import HttpResponse
from django.test import RequestFactory

from teilhabe.offers import answers
from tests.offers.test_api import make_offer

pytestmark = pytest.mark.django_db

API = "/api/v1/offers?category=beratung"


class CountingView:
    """Stands in for the rest of the middleware and the view; counts how often it runs."""

    def __init__(self, make_response):
        self.make_response = make_response
        self.calls = 0

    def __call__(self, request):
        self.calls += 1
        return self.make_response()


def ask(middleware, path=API, **headers):
    return middleware(RequestFactory().get(path, headers=headers))


def shared(body=b'{"count": 1}', **kwargs):
    response = HttpResponse(body, content_type="application/json")
    response["ETag"] = '"v1"'
    return answers.share(response, **kwargs)


def test_a_shared_answer_is_served_again_without_the_view():
    view = CountingView(shared)
    middleware = answers.SharedAnswerMiddleware(view)

    first, second = ask(middleware), ask(middleware)

    assert view.calls == 1
    assert second.content == first.content == b'{"count": 1}'
    assert second["ETag"] == '"v1"'
    assert second["Content-Type"] == "application/json"


def test_an_answer_slow_to_make_is_served_to_another_worker_from_the_shared_cache(monkeypatch):
    monkeypatch.setattr(answers, "SHARED_AFTER", 0)  # every answer counts as slow
    view = CountingView(shared)
    middleware = answers.SharedAnswerMiddleware(view)
    ask(middleware)
    answers.memory.clear()  # as in another worker process, which shares only the cache

    again = ask(middleware)

    assert (view.calls, again.content) == (1, b'{"count": 1}')


def test_an_answer_quick_to_make_stays_in_the_process_and_is_not_written_out(monkeypatch):
    monkeypatch.setattr(answers, "SHARED_AFTER", 60)
    view = CountingView(shared)
    middleware = answers.SharedAnswerMiddleware(view)
    ask(middleware)
    ask(middleware)  # from this process's memory
    answers.memory.clear()  # another worker: made again, not read from the shared cache

    ask(middleware)

    assert view.calls == 2


def test_a_matching_etag_is_answered_with_304_from_the_stored_answer():
    view = CountingView(shared)
    middleware = answers.SharedAnswerMiddleware(view)
    ask(middleware)

    again = ask(middleware, **{"If-None-Match": '"v1"'})

    assert (again.status_code, again["ETag"], view.calls) == (304, '"v1"', 1)


def test_an_answer_about_this_minute_is_not_served_after_it():
    view = CountingView(lambda: shared(until=time.time() - 1))
    middleware = answers.SharedAnswerMiddleware(view)

    ask(middleware)
    ask(middleware)

    assert view.calls == 2


@pytest.mark.parametrize(
    "make_response",
    [
        lambda: HttpResponse(b"per user"),  # not marked as shared
        lambda: answers.share(HttpResponse(b"gone", status=404)),
    ],
)
def test_only_successful_answers_marked_as_shared_are_kept(make_response):
    view = CountingView(make_response)
    middleware = answers.SharedAnswerMiddleware(view)

    ask(middleware)
    ask(middleware)

    assert view.calls == 2


def test_an_answer_that_sets_a_cookie_is_never_shared():
    def with_cookie():
        response = shared()
        response.set_cookie("sessionid", "secret")
        return response

    view = CountingView(with_cookie)
    middleware = answers.SharedAnswerMiddleware(view)

    ask(middleware)
    ask(middleware)

    assert view.calls == 2


@pytest.mark.parametrize(
    ("path", "shared_by_all"),
    [
        ("/offers.geojson", True),
        ("/ar/offers.geojson", True),
        ("/api/v1/offers", True),
        ("/api/v1/offers/12", True),
        ("/api/hsds/services", True),
        ("/api/v1/mediation/requests", False),
        ("/api/v1/funding/applications", False),
        ("/", False),
        ("/my/offers/", False),
    ],
)
def test_only_the_public_map_data_is_looked_up(path, shared_by_all):
    assert answers.may_be_shared(path) is shared_by_all


def test_a_change_to_the_map_is_never_answered_with_the_stored_answer(
    client, reference_data, organisation
):
    offer = make_offer(organisation, "beratung", "Sprachcafé", latitude=51.52, longitude=7.46)
    before = client.get("/api/v1/offers").json()

    offer.title = "Elterncafé"
    offer.save(update_fields=["title"])
    after = client.get("/api/v1/offers").json()

    assert [item["title"] for item in before["items"]] == ["Sprachcafé"]
    assert [item["title"] for item in after["items"]] == ["Elterncafé"]


def test_each_process_keeps_answers_within_limits_of_number_and_bytes():
    entry = (0, {}, b"1234")

    assert answers.memory.entries == answers.MEMORY_ENTRIES
    assert answers.memory.weight == answers.MEMORY_BYTES
    assert answers.memory._weigh(entry) == 4  # the body's bytes


def test_shared_answers_are_served_before_the_middleware_that_depends_on_the_visitor(settings):
    order = settings.MIDDLEWARE
    shared = order.index("teilhabe.offers.answers.SharedAnswerMiddleware")

    assert order.index("whitenoise.middleware.WhiteNoiseMiddleware") < shared
    assert shared < order.index("django.contrib.sessions.middleware.SessionMiddleware")
    assert shared < order.index("django.middleware.locale.LocaleMiddleware")
