"""Kept figures: counts too slow for a request (the dashboard, today's 日报 so far, 整体效益, a national
重点产业链's analysis), served from the cache and recounted in the background.

A request never counts while another waits, nor waits for another's count. It serves the kept figures,
however old, with the time they were counted, and notes in the register of wanted figures (WANTED)
that they are still read. `refresh_kept`, run by the Celery task reports.refresh_kept_figures (beat,
every DASHBOARD_REFRESH_SECONDS), recounts every wanted entry older than DASHBOARD_CACHE_SECONDS with
the counter registered for its kind (`register`, in each app's ready()). Only when nothing is kept yet
(first read of the day, a cache flushed or down) does the request count, once, itself.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.utils import translation
from django.utils.translation import get_language

# How the task recounts each kind of kept figures from its spec (None: nothing to count, the user is gone).
COUNTERS: dict[str, Callable[[dict], object]] = {}


def register(kind: str, counter: Callable[[dict], object]) -> None:
    COUNTERS[kind] = counter


WANTED = "dashboard:wanted:v1"
# Kept figures outlive their freshness: until the task has recounted them, the old ones are shown.
KEEP_SECONDS = 24 * 3600
# Figures nobody has read for this long are left to expire: the task does not recount them.
WANTED_SECONDS = 3600
# A recount that has not finished in this long is taken as lost (a worker killed mid-count).
COUNTING_SECONDS = 600


def kept(key: str, spec: dict, count: Callable[[], dict]) -> dict:
    """The figures kept under `key`, or `count()` when none are (kept then). `spec` says how the task
    recounts them: a dict of JSON values with a "kind" of COUNTERS. With DASHBOARD_CACHE_SECONDS 0 every
    call counts afresh."""
    if not settings.DASHBOARD_CACHE_SECONDS:
        return count()
    found = cache.get_many([key, WANTED])
    entry = found.get(key)
    if entry is None:
        entry = {"at": time.time(), "data": count()}
        cache.set(key, entry, KEEP_SECONDS)
    _note_wanted(found.get(WANTED) or {}, key, {**spec, "language": get_language()})
    return entry["data"]


def _note_wanted(wanted: dict, key: str, spec: dict) -> None:
    """Add or refresh the key's entry in the register, at most a few times per WANTED_SECONDS. Two
    requests writing at once may lose one's entry: the next read adds it again."""
    now = time.time()
    noted = wanted.get(key)
    if noted is not None and now - noted["seen"] < WANTED_SECONDS / 4:
        return
    cache.set(WANTED, {**wanted, key: {**spec, "seen": now}}, KEEP_SECONDS)


def refresh_kept(now: float | None = None) -> int:
    """Recount the wanted figures older than DASHBOARD_CACHE_SECONDS; drop the entries nobody read for
    WANTED_SECONDS. Two runs at once (a slow count overlapping the next beat) share the work: an entry
    being counted elsewhere is skipped, never waited for. Returns how many were recounted."""
    seconds = settings.DASHBOARD_CACHE_SECONDS
    if not seconds:
        return 0
    now = time.time() if now is None else now
    wanted = cache.get(WANTED) or {}
    read = {key: spec for key, spec in wanted.items() if now - spec["seen"] < WANTED_SECONDS}
    if len(read) < len(wanted):
        cache.set(WANTED, read, KEEP_SECONDS)
    recounted = 0
    for key, spec in read.items():
        entry = cache.get(key)
        if entry is not None and now - entry["at"] < seconds:
            continue
        lock = f"{key}:counting"
        if not cache.add(lock, 1, timeout=COUNTING_SECONDS):
            continue
        try:
            with translation.override(spec["language"]):
                data = COUNTERS[spec["kind"]](spec)
            if data is not None:
                cache.set(key, {"at": time.time(), "data": data}, KEEP_SECONDS)
                recounted += 1
        finally:
            cache.delete(lock)
    return recounted
