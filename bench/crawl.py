"""The crawl: every page each demo role reaches from its 工作台, two clicks deep, timed warm.

As each demo user, start at `/` (and at a light page with the main menu, in case the 工作台 fails) and
follow every same-site `<a href>` of the page (the main menu, tabs, filters as linked, rows), then every
link of those pages: the pages at depth 0, 1 and 2 are timed. Links
are deduplicated by what they are, not by where they point: each path is resolved
(`django.urls.resolve`) and at most PER_PATTERN concrete URLs are kept per (role, url_name, sorted query
keys), so the crawl stays bounded and still meets every kind of page, including the ones later issues
add, with no list to maintain.

Never followed: logout and the language switch, /admin/, static and media files, and downloads
(exports, templates, attachments: listed as not timed). Every state change in chainwork is a POST
(forms, not links), so following links with GET changes nothing; a GET that writes anyway is listed.

Timed in this process with Django's test client (force_login, as bench/inprocess.py does): the crawl
needs each page's HTML to find its links and its query count (CaptureQueriesContext), which only an
in-process request gives, and a page measured alone needs no server. The cost of gunicorn and the socket
is not in these numbers; the `pages` step measures it for the chosen endpoints.
"""

from __future__ import annotations

import gc
import math
import statistics
import time
from collections import Counter, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urljoin, urlsplit, urlunsplit

TARGET_P95_MS = 300
TARGET_MAX_MS = 1000
DEPTH = 2  # clicks from the 工作台
PER_PATTERN = 2  # concrete URLs kept per (url_name, query keys)
REPEAT = 5  # warm requests per page, after one cold
PAGE_BUDGET_S = 10.0  # no more warm requests once a page has taken this long in all: it has missed anyway
STATEMENT_TIMEOUT_MS = 30_000  # a runaway query ends the request instead of the bench
LOGIN_PATH = "/accounts/login/"
# Where each role starts: its 工作台, and a light page that carries the main menu (every page has it), so a
# 工作台 that fails or times out still leaves the rest of the role's pages crawled.
STARTS = ("/", "/accounts/password/")
EXTRA_ROLES = ("assoc-auto",)  # crawled when present in the data, though not a Contract demo user

SAME_SITE_HOSTS = {"", "testserver", "127.0.0.1", "localhost"}
# Links that are never followed: they end the session, change a preference, or are not chainwork's pages.
SKIPPED_NAMES = {"logout": "logout", "set_language": "changes the language", "favicon": "static"}
SKIPPED_PREFIXES = {"/admin/": "admin", "/static/": "static", "/media/": "media"}
DOWNLOAD_SUFFIXES = (".xlsx", ".xls", ".docx", ".doc", ".csv", ".pdf", ".zip", ".jpg", ".jpeg", ".png")
DOWNLOAD_FORMATS = {"csv", "xlsx", "xls", "docx", "doc", "pdf", "zip"}
DOWNLOAD_NAME_PARTS = ("export", "download", "template", "photo")
PAGE_CONTENT_TYPES = ("text/html", "application/json")


# --- links ---------------------------------------------------------------------------------------------


class _Anchors(HTMLParser):
    """The href of every <a>; those with a `download` attribute apart (the browser saves them)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.hrefs: list[str] = []
        self.downloads: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag != "a":
            return
        attributes = dict(attrs)
        href = (attributes.get("href") or "").strip()
        if href:
            (self.downloads if "download" in attributes else self.hrefs).append(href)


def same_site(href: str, base: str) -> str | None:
    """`href` as a same-site path with its query (no fragment), relative to the page at `base`; None for
    anchors within the page, other sites, mailto:, tel:, javascript:."""
    if href.startswith("#"):
        return None
    parts = urlsplit(urljoin(base, href))
    if parts.scheme not in ("", "http", "https") or parts.hostname not in SAME_SITE_HOSTS | {None}:
        return None
    return urlunsplit(("", "", parts.path or "/", parts.query, ""))


def extract_links(html: str, base: str = "/") -> tuple[list[str], list[str]]:
    """(links, download links) of a page, same-site, each once, in the page's order."""
    parser = _Anchors()
    parser.feed(html)
    parser.close()

    def unique(hrefs):
        found = (same_site(h, base) for h in hrefs)
        return list(dict.fromkeys(url for url in found if url))

    return unique(parser.hrefs), unique(parser.downloads)


# --- what a link is ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    url: str
    kind: str  # "page", "download" or "skipped"
    url_name: str  # resolved name ("app:name" in a namespace), or "unresolved <path>"
    query_keys: tuple[str, ...]
    reason: str = ""

    @property
    def pattern(self) -> tuple[str, tuple[str, ...]]:
        return self.url_name, self.query_keys


def classify(url: str, download_attribute: bool = False) -> Target:
    """What following `url` would do. A path nothing resolves is still a page: fetched once, its 404
    is a broken link to report."""
    from django.urls import Resolver404, resolve

    parts = urlsplit(url)
    query = parse_qsl(parts.query, keep_blank_values=True)
    keys = tuple(sorted({key for key, _value in query}))
    for prefix, reason in SKIPPED_PREFIXES.items():
        if parts.path.startswith(prefix):
            return Target(url, "skipped", prefix.strip("/"), keys, reason)
    try:
        match = resolve(parts.path)
        name = match.view_name or f"{match.func.__module__}.{match.func.__name__}"
    except Resolver404:
        return Target(url, "page", f"unresolved {parts.path}", keys)
    short = name.rsplit(":", 1)[-1]
    if short in SKIPPED_NAMES:
        return Target(url, "skipped", name, keys, SKIPPED_NAMES[short])
    formats = {value.lower() for key, value in query if key in ("format", "fmt", "export")}
    if (download_attribute or parts.path.lower().endswith(DOWNLOAD_SUFFIXES) or formats & DOWNLOAD_FORMATS
            or any(part in short for part in DOWNLOAD_NAME_PARTS)):
        return Target(url, "download", name, keys, "download")
    return Target(url, "page", name, keys)


# --- the walk ------------------------------------------------------------------------------------------


@dataclass
class Fetched:
    """What one page answered: its record for the results and the HTML to follow (200 pages only)."""

    record: dict
    html: str = ""
    location: str = ""  # where a redirect points


@dataclass
class Walk:
    """One role's crawl: the pages fetched, in order, and what was left out."""

    pages: list[dict] = field(default_factory=list)
    downloads: dict[str, dict] = field(default_factory=dict)  # url_name → first URL and where it was linked
    skipped: Counter = field(default_factory=Counter)  # reason → links
    deduplicated: Counter = field(default_factory=Counter)  # url_name → links beyond PER_PATTERN


def walk(fetch: Callable[[str], Fetched], starts: tuple[str, ...] = STARTS, depth: int = DEPTH,
         per_pattern: int = PER_PATTERN) -> Walk:
    """Breadth first from `starts`: every page at most `depth` clicks away, at most `per_pattern` URLs
    per pattern (the first ones met, so the shallowest). A redirect's target counts as the same click."""
    result = Walk()
    kept: dict[tuple, int] = Counter()
    seen: set[str] = set()
    queue: deque[tuple[str, int, str]] = deque()

    def offer(url: str, level: int, found_on: str, download_attribute: bool = False) -> None:
        if url in seen:
            return
        seen.add(url)
        target = classify(url, download_attribute)
        if target.kind == "skipped":
            result.skipped[target.reason] += 1
        elif target.kind == "download":
            result.downloads.setdefault(target.url_name, {"url": url, "found_on": found_on})
        elif kept[target.pattern] >= per_pattern:
            result.deduplicated[target.url_name] += 1
        else:
            kept[target.pattern] += 1
            queue.append((url, level, found_on))

    for start in starts:
        offer(start, 0, "")
    while queue:
        url, level, found_on = queue.popleft()
        fetched = fetch(url)
        target = classify(url)
        fetched.record.update(url=url, url_name=target.url_name, query_keys=list(target.query_keys),
                              depth=level, found_on=found_on)
        if fetched.record.get("download"):
            result.downloads.setdefault(target.url_name, {"url": url, "found_on": found_on,
                                                          "content_type": fetched.record.get("content_type")})
            continue
        result.pages.append(fetched.record)
        if fetched.location:
            location = same_site(fetched.location, url)
            if location:
                offer(location, level, url)
        if fetched.html and level < depth:
            links, downloads = extract_links(fetched.html, url)
            for link in links:
                offer(link, level + 1, url)
            for link in downloads:
                offer(link, level + 1, url, download_attribute=True)
    return result


# --- timing, in this process ---------------------------------------------------------------------------


def percentile(samples: list[float], fraction: float) -> float:
    """Nearest-rank percentile: with 5 samples, the p95 is the largest."""
    ordered = sorted(samples)
    return ordered[max(1, math.ceil(len(ordered) * fraction)) - 1]


def is_write(sql: str) -> bool:
    """A statement that changes a row other than the session's (a login's session save is no state)."""
    head = sql.lstrip().split(None, 1)[0].upper() if sql.strip() else ""
    return head in {"INSERT", "UPDATE", "DELETE"} and "django_session" not in sql


def measure(client, url: str, repeat: int = REPEAT, budget_s: float = PAGE_BUDGET_S) -> Fetched:
    """One cold GET, then up to `repeat` warm ones (fewer once the page has taken `budget_s` in all).
    Only a 200 HTML or JSON page is repeated; anything else is recorded by its status."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    gc.collect()  # untimed: a collection of garbage that earlier pages left must not land on this one
    started = time.perf_counter()
    response = client.get(url)
    cold_ms = (time.perf_counter() - started) * 1000
    content_type = response.get("Content-Type", "").split(";")[0]
    record = {"status": response.status_code, "cold_ms": round(cold_ms, 1), "content_type": content_type}
    if response.exc_info:
        record["error"] = f"{response.exc_info[0].__name__}: {str(response.exc_info[1])[:300]}"
    if response.status_code != 200:
        return Fetched(record, location=response.get("Location", ""))
    if response.streaming or response.has_header("Content-Disposition") or not content_type.startswith(
            PAGE_CONTENT_TYPES):
        response.close()
        record["download"] = True
        return Fetched(record)
    samples: list[float] = []
    spent = cold_ms / 1000
    while len(samples) < repeat and spent < budget_s:
        with CaptureQueriesContext(connection) as captured:
            began = time.perf_counter()
            response = client.get(url)
            elapsed = time.perf_counter() - began
        samples.append(elapsed * 1000)
        spent += elapsed
        record.update(status=response.status_code, queries=len(captured.captured_queries), bytes=len(response.content))
        writes = sorted({q["sql"][:120] for q in captured.captured_queries if is_write(q["sql"])})
        if writes:
            record["writes"] = writes
        if response.status_code != 200:
            break
    if not samples:  # the cold request alone spent the budget
        samples = [cold_ms]
        record.update(bytes=len(response.content), cold_only=True)
    record.update(repeat=len(samples), p50_ms=round(statistics.median(samples), 1),
                  p95_ms=round(percentile(samples, 0.95), 1), max_ms=round(max(samples), 1))
    followed = record["status"] == 200 and content_type == "text/html"  # not the links of an error page
    return Fetched(record, html=response.content.decode(response.charset or "utf-8", "replace") if followed else "")


def judge(record: dict) -> None:
    """A page is met when it answered 200 within the targets; a redirect to another page is neither met
    nor missed (its target is crawled); anything else is a miss."""
    status = record["status"]
    if 300 <= status < 400:
        record["ok"] = None if not urlsplit(record.get("location", "")).path.startswith(LOGIN_PATH) else False
        return
    record["ok"] = (status == 200 and record["p95_ms"] <= TARGET_P95_MS and record["max_ms"] <= TARGET_MAX_MS)


def roles() -> list[str]:
    """Every demo user of the data, and the extra roles the data holds."""
    from chainwork.demo import DEMO_USERS
    from chainwork.models import User

    wanted = [demo.username for demo in DEMO_USERS] + [name for name in EXTRA_ROLES
                                                       if name not in {d.username for d in DEMO_USERS}]
    present = set(User.objects.filter(username__in=wanted, is_active=True).values_list("username", flat=True))
    return [name for name in wanted if name in present]


def crawl(usernames: list[str] | None = None, repeat: int = REPEAT, per_pattern: int = PER_PATTERN,
          budget_s: float = PAGE_BUDGET_S, statement_timeout_ms: int = STATEMENT_TIMEOUT_MS,
          log: Callable[[str], None] = print) -> dict:
    """The crawl of every role, and the anonymous login page as the floor. Django must be set up."""
    from django.db import connection
    from django.test import Client

    from bench.inprocess import user

    with connection.cursor() as cursor:
        cursor.execute("SET statement_timeout = %s", [statement_timeout_ms])
    # What this process holds already (the seed's and the other steps' objects, more than a gunicorn
    # worker has) is left out of every collection from here on: a full collection over it took 100-250 ms
    # and fell on whichever page was running, a miss by chance in every role.
    gc.collect()
    gc.freeze()
    try:
        floor = measure(Client(raise_request_exception=False), LOGIN_PATH, repeat, budget_s).record
        floor.update(url=LOGIN_PATH, url_name="login")
        judge(floor)
        log(f"crawl: login page (anonymous) p50 {floor.get('p50_ms')} ms")
        by_role = {}
        for username in usernames or roles():
            client = Client(raise_request_exception=False)
            client.force_login(user(username))
            started = time.monotonic()
            walked = walk(lambda url, c=client, who=username: fetched_and_judged(c, url, repeat, budget_s, who, log),
                          per_pattern=per_pattern)
            by_role[username] = {"pages": walked.pages, "downloads": walked.downloads,
                                 "skipped": dict(walked.skipped), "deduplicated": dict(walked.deduplicated),
                                 "seconds": round(time.monotonic() - started, 1)}
            missed = sum(1 for p in walked.pages if p["ok"] is False)
            log(f"crawl {username}: {len(walked.pages)} pages, {missed} missed, "
                f"{by_role[username]['seconds']} s")
    finally:
        gc.unfreeze()
        with connection.cursor() as cursor:
            cursor.execute("RESET statement_timeout")
    return {"floor": floor, "roles": by_role,
            "settings": {"depth": DEPTH, "per_pattern": per_pattern, "repeat": repeat, "page_budget_s": budget_s,
                         "statement_timeout_ms": statement_timeout_ms},
            "targets": {"p95_ms": TARGET_P95_MS, "max_ms": TARGET_MAX_MS}}


def fetched_and_judged(client, url: str, repeat: int, budget_s: float, username: str,
                       log: Callable[[str], None]) -> Fetched:
    """The page measured and judged; a slow or failing one is logged as it is met (a w1 crawl is long)."""
    fetched = measure(client, url, repeat, budget_s)
    record = fetched.record
    if fetched.location:
        record["location"] = fetched.location
    if not record.get("download"):
        judge(record)
        if record["status"] >= 400 or record.get("max_ms", 0) > TARGET_MAX_MS:
            log(f"crawl {username}: {url} status {record['status']}, "
                + (f"max {record['max_ms']} ms" if "max_ms" in record else f"in {record['cold_ms']} ms"))
    return fetched


def misses(result: dict) -> list[dict]:
    """Every page of every role that missed, with its role: slow pages, errors, broken links."""
    return [{"role": role, **page} for role, walked in result["roles"].items() for page in walked["pages"]
            if page["ok"] is False]
