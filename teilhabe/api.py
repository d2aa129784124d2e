"""The public, read-only JSON API (django-ninja): /api/v1/ (the offer map) and /api/hsds/
(HSDS 3.0). Documentation at /api/docs, OpenAPI at /api/openapi.json.

No log-in and no cookies are needed; every answer carries Cache-Control and, when it is a
success, an ETag derived from the map version, so a repeated request costs a 304 and no query.
Successful answers are shared (offers/answers.py): the same question about the same data is
answered again from the cache, without a database query.
"""

import hashlib
from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from ninja import NinjaAPI, Schema

from teilhabe.funding.api import router as funding_router
from teilhabe.mediation.api import router as mediation_router
from teilhabe.offers.answers import share
from teilhabe.offers.api import router as offers_router
from teilhabe.offers.cache import map_version
from teilhabe.offers.hsds_api import router as hsds_router

CACHE_SECONDS = 300


def _etag(request: HttpRequest) -> str:
    key = f"{map_version()}|{request.get_full_path()}".encode()
    return f'"{hashlib.sha256(key).hexdigest()[:32]}"'


def public_cache(view: Callable) -> Callable:
    """Cache-Control on every answer; ETag and 304 for successful GETs. The map version
    changes on every write to offers and what they show, so the ETag is never stale."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        etag = _etag(request)
        if request.method == "GET" and etag in request.headers.get("If-None-Match", ""):
            response: HttpResponse = HttpResponseNotModified()
        else:
            response = view(request, *args, **kwargs)
        if response.status_code in (200, 304):
            response.headers["ETag"] = etag
            response.headers["Cache-Control"] = f"public, max-age={CACHE_SECONDS}"
            response.headers["Access-Control-Allow-Origin"] = "*"
        else:
            response.headers["Cache-Control"] = "no-cache"
        patch_vary_headers(response, ("Accept-Language",))
        # The same question about the same data version is answered again from the cache by
        # answers.SharedAnswerMiddleware, without a query.
        return share(response) if response.status_code == 200 else response

    return wrapper


def reject_nul(view: Callable) -> Callable:
    """A NUL character cannot be stored or searched by PostgreSQL: refuse it up front."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        values = [request.path, *(v for vs in request.GET.lists() for v in vs[1]), *request.GET]
        if any("\x00" in value for value in values):
            return api.create_response(
                request, {"detail": "NUL characters are not allowed"}, status=400
            )
        return view(request, *args, **kwargs)

    return wrapper


api = NinjaAPI(
    title="Teilhabe API",
    version="1",
    description=(
        "Open data of the offer map (Angebotskarte): help offers for newcomers and volunteers. "
        "/api/v1/offers serves them with the map's filters and translations, /api/hsds/ as the "
        "Human Services Data Specification 3.0 (Open Referral); both are read-only and need no "
        "log-in. /api/v1/mediation/ (language-mediator pool) and /api/v1/funding/ (funding "
        "programmes) need a session log-in and, for changes, the CSRF token; each user sees "
        'what their role allows. Errors are JSON {"detail": …}.'
    ),
    urls_namespace="api",
    docs_url="/docs",
    openapi_url="/openapi.json",
)


class Index(Schema):
    docs: str
    openapi: str
    offers: str
    offers_geojson: str
    hsds: str


@api.get("/", response=Index, summary="Where everything is", url_name="index")
def index(request: HttpRequest):
    names = {
        "docs": "openapi-view",
        "openapi": "openapi-json",
        "offers": "offers",
        "offers_geojson": "offers_geojson",
        "hsds": "hsds_root",
    }
    return {key: settings.SITE_URL + reverse(f"api:{name}") for key, name in names.items()}


# Only the public, read-only routers are cached: the modules' own routers answer per user.
for public_router in (offers_router, hsds_router):
    public_router.add_decorator(public_cache, mode="view")
api.add_router("/v1/", offers_router)
api.add_router("/hsds/", hsds_router)
api.add_router("/v1/mediation/", mediation_router)
api.add_router("/v1/funding/", funding_router)
api.add_decorator(reject_nul, mode="view")
