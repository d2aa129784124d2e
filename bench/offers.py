"""Benchmark of the offer map: prints figures, passes or fails nothing.

For 150, 10,000 and 100,000 offers (SQLite in a temporary folder; PostgreSQL in a fresh
database `<name>_bench_<pid>` when DATABASE_URL points at a PostgreSQL server), served by
gunicorn with 2 workers:

  (a) the whole-city GeoJSON (/offers.geojson): p50/p95 latency and requests/s under concurrent
      load, and the same for the identical bytes served as a static file by the same server
      (WhiteNoise), as a ratio; plus whether a conditional request (If-None-Match) gets a 304;
  (b) GET /api/v1/offers with a city-sized bbox, a category and a text query: p50/p95, requests/s;
      the same URL again (answered from the cache); the map moving: a new bbox every time with
      searches visitors type (each worker remembers a search and the offers it showed, until the
      map changes: matches.py); and the worst case, a search text never asked before every
      time (searched, counted and paged anew), with the given clients and with 1, 2, 4;
  (c) the map page's first-load weight (gzip-compressed bytes of HTML, CSS, JS and data, without
      tiles) and the time until markers are visible in Chromium on a throttled connection
      (1.6 Mbit/s down, 150 ms round trip).

Usage: .venv/bin/python bench/offers.py [--sizes 150,10000,100000] [--seconds 5] [--clients 8]
       [--databases sqlite,postgresql]   (make bench runs it with the defaults)
"""

import argparse
import gzip
import http.client
import json
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
CITY_BBOX = "7.30,51.41,7.64,51.60"  # Dortmund
# What visitors type: whole words and parts of them, in any case (each finds about 1 in 11
# offers of the seeded city, most of them in other categories).
SEARCH_TEXTS = [
    "Sprachcafé", "sprachcaf", "SPRACH", "Beratung", "beratung", "erat", "Deutschkurs",
    "deutsch", "kurs", "Treff", "treff", "Frauentreff", "Kleiderkammer", "kammer", "Fahrrad",
    "werkstatt", "Nähcafé", "Elterncafé", "Fußball", "Patenschaft", "Hausaufgaben", "hilfe",
]  # fmt: skip
# Words of the seeded titles: a new search text is a part of one in a new mix of cases.
SEED_WORDS = [
    "Sprachcafé", "Beratung", "Kleiderkammer", "Hausaufgabenhilfe", "Fahrradwerkstatt",
    "Nähcafé", "Frauentreff", "Elterncafé", "Fußball", "Patenschaft", "Deutschkurs",
]  # fmt: skip
MARKER_SELECTOR = "[data-offer-marker], .leaflet-marker-icon"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def manage(env: dict, *args: str) -> str:
    result = subprocess.run(
        [PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    )
    return result.stdout


SEED_SCRIPT = """
import random, sys
import django
django.setup()
from django.db import transaction
from teilhabe.core.models import Organisation, Language, TargetGroup
from teilhabe.core.queries import district_for_point
from teilhabe.offers.models import Category, Offer, WeeklySlot

count = int(sys.argv[1])
rng = random.Random(20261121)
categories = list(Category.objects.all())
languages = list(Language.objects.all())
groups = list(TargetGroup.objects.all())
organisations = [Organisation.objects.get_or_create(slug=f"bench-{i}",
                 defaults={"name": f"Bench-Organisation {i}"})[0] for i in range(50)]
words = ["Sprachcafé", "Beratung", "Kleiderkammer", "Hausaufgabenhilfe", "Fahrradwerkstatt",
         "Nähcafé", "Frauentreff", "Elterncafé", "Fußball", "Patenschaft", "Deutschkurs"]
with transaction.atomic():
    offers = []
    for i in range(count):
        lat, lon = rng.uniform(51.45, 51.58), rng.uniform(7.33, 7.62)
        offers.append(Offer(
            organisation=rng.choice(organisations), category=rng.choice(categories),
            title=f"{rng.choice(words)} {i}", description="Benchmark-Angebot. " * 5,
            latitude=lat, longitude=lon, status="published", city="Dortmund",
        ))
    Offer.objects.bulk_create(offers, batch_size=2000)
    # Districts for a sample only: the point lookup is not what is measured here.
    for offer in Offer.objects.order_by("pk")[:2000]:
        offer.district = district_for_point(offer.latitude, offer.longitude)
        offer.save(update_fields=["district"])
    through_l = Offer.languages.through
    through_l.objects.bulk_create(
        [through_l(offer_id=o, language_id=rng.choice(languages).pk)
         for o in Offer.objects.values_list("pk", flat=True)], batch_size=5000)
    WeeklySlot.objects.bulk_create(
        [WeeklySlot(offer_id=o, weekday=rng.randrange(7), opens="09:00", closes="17:00")
         for o in Offer.objects.values_list("pk", flat=True)], batch_size=5000)
print(Offer.objects.count())
# After a bulk load PostgreSQL's autovacuum gathers statistics and tidies the trigram indexes
# within a minute or so; do it now, as an operator would after an import.
from django.db import connection
if connection.vendor == "postgresql":
    with connection.cursor() as cursor:
        for table in ("offers_offer", "offers_offertranslation", "offers_offer_languages",
                      "offers_weeklyslot"):
            cursor.execute(f"VACUUM ANALYZE {table}")
"""

# What a worker does on the first text search after the map changed (map_texts.py).
TEXTS_SCRIPT = """
import time, tracemalloc
import django
django.setup()
from teilhabe.offers import map_texts
t0 = time.perf_counter()
map_texts.build()
took = time.perf_counter() - t0
tracemalloc.start()
texts = map_texts.build()
print(f"{took:.2f} s, {tracemalloc.get_traced_memory()[0] / 1e6:.1f} MB")
"""


@contextmanager
def database(kind: str):
    """Environment for a fresh database of the given kind; removed afterwards."""
    folder = Path(tempfile.mkdtemp(prefix="teilhabe-bench-"))
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "teilhabe.settings",
        "VAR_DIR": str(folder),
        "SECRET_KEY": "bench-" + "x" * 60,
        "STATIC_ROOT": str(folder / "static"),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "AXES_ENABLED": "false",
    }
    env.pop("DEBUG", None)
    drop = None
    if kind == "sqlite":
        env.pop("DATABASE_URL", None)
    else:
        url = urlsplit(os.environ["DATABASE_URL"])
        name = f"{url.path.lstrip('/')}_bench_{os.getpid()}"  # two runs never share one
        import psycopg

        admin_url = urlunsplit(
            (
                url.scheme.replace("postgres", "postgresql", 1)
                if url.scheme == "postgres"
                else url.scheme,
                url.netloc,
                "/postgres",
                "",
                "",
            )
        )
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')
        env["DATABASE_URL"] = urlunsplit((url.scheme, url.netloc, "/" + name, "", ""))

        def drop():
            with psycopg.connect(admin_url, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    try:
        yield env, folder
    finally:
        if drop:
            drop()
        shutil.rmtree(folder, ignore_errors=True)


GUNICORN_PIDS: dict[int, int] = {}  # port → the master process


@contextmanager
def gunicorn(env: dict):
    port = free_port()
    proc = subprocess.Popen(
        [
            str(Path(PYTHON).parent / "gunicorn"),
            "teilhabe.wsgi",
            "--workers",
            "2",
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    GUNICORN_PIDS[port] = proc.pid
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                status, _headers, _body = request(port, "/healthz")
                if status == 200:
                    break
            except OSError:
                time.sleep(0.2)
        else:
            raise RuntimeError("gunicorn did not start: " + proc.stderr.read().decode())
        yield port
    finally:
        proc.terminate()
        proc.wait(timeout=15)


def _cpu_seconds(pids: list[int]) -> float:
    """User + system CPU time of these processes (Linux /proc), 0 for those that are gone."""
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


def server_cpu(port: int, env: dict) -> dict[str, float]:
    """CPU seconds used so far by the gunicorn workers and, on PostgreSQL, by the database
    connections serving this bench's database: what one request costs, whatever the load."""
    master = GUNICORN_PIDS[port]
    workers = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == master:
                workers.append(int(stat.parent.name))
        except (OSError, IndexError, ValueError):
            continue
    figures = {"gunicorn workers": _cpu_seconds(workers)}
    url = env.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        import psycopg

        with psycopg.connect(url.replace("postgres://", "postgresql://", 1)) as conn:
            pids = [
                row[0]
                for row in conn.execute(
                    "SELECT pid FROM pg_stat_activity "
                    "WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )
            ]
        figures["PostgreSQL"] = _cpu_seconds(pids)
    return figures


def request(port: int, path: str, headers: dict | None = None, conn=None):
    own = conn is None
    conn = conn or http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("GET", path, headers=headers or {})
        response = conn.getresponse()
        body = response.read()
        return response.status, dict(response.getheaders()), body
    finally:
        if own:
            conn.close()


def load(port: int, path, *, seconds: float, clients: int) -> dict:
    """Keep-alive clients hitting a path (or a function making a new path each time) for
    `seconds`; latency percentiles and throughput."""
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def client():
        nonlocal errors
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine, bad = [], 0
        while time.monotonic() < stop:
            started = time.perf_counter()
            try:
                status, _h, _b = request(port, path() if callable(path) else path, conn=conn)
            except (OSError, http.client.HTTPException):
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                bad += 1
                continue
            mine.append(time.perf_counter() - started)
            bad += status != 200
        conn.close()
        with lock:
            latencies.extend(mine)
            errors += bad

    started = time.monotonic()
    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    latencies.sort()
    q = statistics.quantiles(latencies, n=100) if len(latencies) > 1 else [latencies[0]] * 99
    return {
        "p50_ms": q[49] * 1000,
        "p95_ms": q[94] * 1000,
        "rps": len(latencies) / elapsed,
        "requests": len(latencies),
        "errors": errors,
    }


def fmt(figures: dict) -> str:
    return (
        f"p50 {figures['p50_ms']:7.2f} ms  p95 {figures['p95_ms']:7.2f} ms  "
        f"{figures['rps']:8.0f} req/s  ({figures['requests']} requests, "
        f"{figures['errors']} errors)"
    )


def page_weight_and_markers(port: int) -> tuple[dict, float | None]:
    """Gzip sizes of what the map page loads (no tiles) and time to visible markers."""
    from playwright.sync_api import sync_playwright

    sizes: dict[str, int] = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 390, "height": 844})
        page.route(
            "**/*",
            lambda route: (
                route.abort()
                if not route.request.url.startswith(f"http://127.0.0.1:{port}")
                else route.continue_()
            ),
        )

        def record(response):
            kind = response.request.resource_type
            if response.url.startswith(f"http://127.0.0.1:{port}") and response.status == 200:
                try:
                    body = response.body()
                except Exception:
                    return
                key = {"document": "html", "stylesheet": "css", "script": "js"}.get(kind, "data")
                sizes[key] = sizes.get(key, 0) + len(gzip.compress(body, 6))

        page.on("response", record)
        cdp = page.context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send(
            "Network.emulateNetworkConditions",
            {
                "offline": False,
                "latency": 150,
                "downloadThroughput": 1_600_000 / 8,
                "uploadThroughput": 750_000 / 8,
            },
        )
        started = time.perf_counter()
        page.goto(f"http://127.0.0.1:{port}/", wait_until="commit")
        try:
            page.wait_for_selector(MARKER_SELECTOR, state="visible", timeout=30_000)
            visible = time.perf_counter() - started
        except Exception:
            visible = None
        page.wait_for_load_state("networkidle")
        browser.close()
    return sizes, visible


def api_url(rng: random.Random, text: str) -> str:
    """(b)'s question with a city-sized bbox that moves a little every time."""
    west, south = 7.30 + rng.random() / 1000, 51.41 + rng.random() / 1000
    return (
        f"/api/v1/offers?bbox={west:.6f},{south:.6f},7.64,51.60&category=beratung&q={quote(text)}"
    )


def measured(port: int, env: dict, path, seconds: float, clients: int) -> str:
    """The load's figures and the server's CPU time per request (workers and database)."""
    before = server_cpu(port, env)
    figures = load(port, path, seconds=seconds, clients=clients)
    used = {name: server_cpu(port, env)[name] - before[name] for name in before}
    parts = " + ".join(
        f"{name} {1000 * value / figures['requests']:.1f}" for name, value in used.items()
    )
    per_request = 1000 * sum(used.values()) / figures["requests"]
    return f"{fmt(figures)}\n      server CPU per request {per_request:.1f} ms ({parts})"


def run_size(kind: str, count: int, *, seconds: float, clients: int) -> None:
    print(f"\n== {count:,} offers on {kind}")
    with database(kind) as (env, _folder):
        manage(env, "migrate", "--noinput")
        manage(env, "load_reference_data")
        manage(
            env,
            "load_districts",
            str(ROOT / "data/dortmund/stadtbezirke.geojson"),
            "--number-property",
            "stadtbezirk_nr",
            "--name-property",
            "stadtbezirk",
        )
        t0 = time.perf_counter()
        subprocess.run(
            [PYTHON, "-c", SEED_SCRIPT, str(count)],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
        )
        print(f"   seeded in {time.perf_counter() - t0:.1f} s")
        built = subprocess.run(
            [PYTHON, "-c", TEXTS_SCRIPT], cwd=ROOT, env=env, check=True, capture_output=True
        )
        print(f"   map texts built in {built.stdout.decode().strip()} (per worker, per change)")
        manage(env, "collectstatic", "--noinput")

        with gunicorn(env) as port:
            status, headers, body = request(port, "/offers.geojson")
            assert status == 200, status
            etag = headers.get("ETag")
        static_dir = Path(env["STATIC_ROOT"]) / "bench"
        static_dir.mkdir(parents=True, exist_ok=True)
        (static_dir / "offers.geojson").write_bytes(body)
        features = len(json.loads(body)["features"])
        print(f"   GeoJSON: {len(body):,} bytes, {features:,} features, ETag {etag!r}")

        with gunicorn(env) as port:  # restarted so WhiteNoise sees the static copy
            conditional = request(port, "/offers.geojson", {"If-None-Match": etag or ""})[0]
            print(f"   conditional request with the ETag: HTTP {conditional}")
            dynamic = load(port, "/offers.geojson", seconds=seconds, clients=clients)
            static = load(port, "/static/bench/offers.geojson", seconds=seconds, clients=clients)
            print(f"(a) GeoJSON view   {fmt(dynamic)}")
            print(f"    static file    {fmt(static)}")
            print(f"    view/static throughput ratio {dynamic['rps'] / static['rps']:.2f}")
            word = random.Random(count).choice(["Sprachcafé", "Beratung", "Deutschkurs"])
            api = f"/api/v1/offers?bbox={CITY_BBOX}&category=beratung&q={quote(word)}"
            status = request(port, api)[0]
            print(f"(b) {api} → HTTP {status}")
            print(f"    same URL again  {fmt(load(port, api, seconds=seconds, clients=clients))}")
            rng = random.Random(7)

            def moved() -> str:
                # The map moving: a new bbox every time, so no answer comes from the cache, with
                # one of the searches visitors type (remembered by each worker once asked).
                return api_url(rng, rng.choice(SEARCH_TEXTS))

            asked: set[str] = set()
            lock = threading.Lock()

            def new_text() -> str:
                # A search text never asked before: nothing of it is remembered anywhere.
                while True:
                    word = rng.choice(SEED_WORDS)
                    size = rng.randint(4, len(word))
                    start = rng.randint(0, len(word) - size)
                    text = "".join(
                        c.upper() if rng.random() < 0.5 else c.lower()
                        for c in word[start : start + size]
                    )
                    with lock:
                        if text not in asked:
                            asked.add(text)
                            return api_url(rng, text)

            print(f"    map moving      {measured(port, env, moved, seconds, clients)}")
            print(f"    new text        {measured(port, env, new_text, seconds, clients)}")
            # The same with fewer clients: from 2 on both workers are busy and the throughput
            # stays; each further client only adds a request to wait behind (Little's law).
            for fewer in (n for n in (1, 2, 4) if n < clients):
                figures = load(port, new_text, seconds=seconds, clients=fewer)
                print(f"    new text, {fewer} client{'s' if fewer > 1 else ' '} {fmt(figures)}")
            if Path(CHROMIUM).exists():
                sizes, visible = page_weight_and_markers(port)
                total = sum(sizes.values())
                parts = ", ".join(f"{k} {v / 1024:.1f} KB" for k, v in sorted(sizes.items()))
                shown = f"{visible:.2f} s" if visible is not None else "not visible in 30 s"
                print(
                    f"(c) first load {total / 1024:.1f} KB gzip ({parts}); "
                    f"markers visible after {shown} at 1.6 Mbit/s, 150 ms RTT"
                )
            else:
                print("(c) skipped: no Chromium at /usr/bin/chromium")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="150,10000,100000")
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument(
        "--databases",
        default="",
        help="sqlite,postgresql (default: SQLite, and PostgreSQL if DATABASE_URL)",
    )
    args = parser.parse_args()
    kinds = ["sqlite"]
    if os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        kinds.append("postgresql")
    if args.databases:
        kinds = [kind for kind in kinds if kind in args.databases.split(",")]
    print(
        f"bench/offers.py — gunicorn 2 workers, {args.clients} keep-alive clients, "
        f"{args.seconds:g} s per measurement, {os.cpu_count()} CPUs"
    )
    for kind in kinds:
        for count in (int(size) for size in args.sizes.split(",")):
            run_size(kind, count, seconds=args.seconds, clients=args.clients)


if __name__ == "__main__":
    main()
