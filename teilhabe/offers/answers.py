"""Shared answers: the map's data and the open-data API answer a repeated question from the
cache, before the rest of the middleware runs.

Everyone who asks the same URL of the public map data (`/offers.geojson` in every language,
`/api/v1/offers…`, `/api/hsds/…`) gets the same answer until the map changes: nothing in it
depends on who asks (the language is in the path or the `lang` parameter). A view says so by
passing its answer through `share()`. `SharedAnswerMiddleware` then keeps the answer, with its
headers, under the map version and the URL, in the process (and in the shared cache for the
other workers, when it took a while to make), and serves it again without sessions, language,
CSRF, log-in, CSP or audit middleware, URL resolving or a database query: about what a static
file costs. A conditional request whose ETag matches is answered with 304. An answer that
depends on the minute ("open now") says until when it holds.
"""

import hashlib
import time
from collections.abc import Callable
from functools import cache

from django.conf import settings
from django.core.cache import cache as shared_cache
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.urls import reverse
from django.utils.http import parse_etags
from django.utils.translation import override

from teilhabe.core.memory import Memory
from teilhabe.offers.cache import map_version

# Seconds an answer stays in the shared cache; its key holds the map version, so a change makes
# new keys and old entries are never read again.
SHARED_SECONDS = 60 * 60 * 24
# An answer that took at least this long to make is also stored in the shared cache, for the
# other workers; a quicker one is made again rather than written to disk (a write costs about
# half a millisecond, and the cache's culling more now and then).
SHARED_AFTER = 0.02
# What each worker process keeps in memory: the most recently used answers, up to these limits.
MEMORY_ENTRIES = 64
MEMORY_BYTES = 64 * 1024 * 1024


def share(response: HttpResponse, *, until: float | None = None) -> HttpResponse:
    """Mark a successful public answer as the same for everyone asking this URL until the map
    changes, or until the Unix time `until` (an answer about this minute)."""
    response.shared_until = until if until is not None else float("inf")
    return response


@cache
def _answer_paths() -> tuple[tuple[str, ...], frozenset[str]]:
    """The URL prefixes of the open-data API and the map's GeoJSON path in every language."""
    prefixes = (reverse("api:offers"), reverse("api:hsds_root"))
    geojson = set()
    for code, _name in settings.LANGUAGES:
        with override(code):
            geojson.add(reverse("offers:geojson"))
    return prefixes, frozenset(geojson)


def may_be_shared(path: str) -> bool:
    prefixes, exact = _answer_paths()
    return path in exact or path.startswith(prefixes)


memory = Memory(MEMORY_ENTRIES, weight=MEMORY_BYTES, weigh=lambda entry: len(entry[2]))


class SharedAnswerMiddleware:
    """Serves shared answers (see the module's docstring); placed right after WhiteNoise."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method != "GET" or not may_be_shared(request.path_info):
            return self.get_response(request)
        # Hashed: a URL may be longer than a cache server allows for a key.
        url = hashlib.sha256(request.get_full_path().encode()).hexdigest()[:40]
        key = f"answer:{map_version()}:{url}"
        entry = memory.get(key)
        if entry is None:
            entry = shared_cache.get(key)
            if entry is not None:
                memory.put(key, entry)
        if entry is not None and time.time() < entry[0]:
            return _replay(request, entry)
        started = time.perf_counter()
        response = self.get_response(request)
        took = time.perf_counter() - started
        until = getattr(response, "shared_until", None)
        # An answer that sets a cookie belongs to one visitor: it is never shared.
        if (
            until is not None
            and response.status_code == 200
            and not response.streaming
            and not response.cookies
        ):
            entry = (until, dict(response.headers), response.content)
            memory.put(key, entry)
            if took >= SHARED_AFTER:
                shared_cache.set(key, entry, timeout=SHARED_SECONDS)
        return response


def _replay(request: HttpRequest, entry: tuple) -> HttpResponse:
    _until, headers, body = entry
    etag = headers.get("ETag")
    if etag and etag in parse_etags(request.headers.get("If-None-Match", "")):
        response: HttpResponse = HttpResponseNotModified()
        for name in ("ETag", "Cache-Control", "Vary", "Content-Language"):
            if name in headers:
                response.headers[name] = headers[name]
        return response
    response = HttpResponse(body)
    for name, value in headers.items():
        response.headers[name] = value
    return response
