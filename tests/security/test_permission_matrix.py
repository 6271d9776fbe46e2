"""The permission matrix (issue 13 item 1): every page and API endpoint of the URL conf x every role x own
and other region x full/limited objects, with the expected answer. The one home of the matrix:
URL builders in urls_under_test.URLS, answers in expected.EXPECTED, the objects in world.build_world().

design.md "Users": outside what a user may see, a URL answers 404; the contract order is
404 scope -> 403 role -> 409 state -> 400 input. POST endpoints are checked with an empty body.
A URL of the resolver with no entry fails test_every_url_has_an_entry, so nothing new ships unchecked."""

import pytest
from django.conf import settings
from django.shortcuts import resolve_url
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from tests.security.expected import EXPECTED
from tests.security.urls_under_test import URLS
from tests.security.world import ROLES

# Routes with no name that need no entry, each with its reason.
IGNORE: dict[str, str] = {}
# The Django admin is one entry group: every admin/ route is covered by the "admin/" entry.
GROUPED_PREFIXES = ("admin/",)
# Known bugs: (key, role) -> reason; the check stays at what design.md requires and xfails strictly.
BUGS: dict[tuple[str, str], str] = {}


def resolver_entries():
    """Every URL name of the resolver, or its route when it has no name; admin/ as one group."""

    def walk(resolver, prefix=""):
        for pattern in resolver.url_patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                yield from walk(pattern, route)
            elif isinstance(pattern, URLPattern):
                yield pattern.name or route, route

    entries = set()
    for name, route in walk(get_resolver()):
        group = next((p for p in GROUPED_PREFIXES if route.startswith(p)), None)
        entries.add(group or name)
    return entries


def test_every_url_has_an_entry():
    missing = sorted(resolver_entries() - set(URLS) - set(IGNORE))
    assert not missing, f"URLs with no permission-matrix entry: {missing}"


def test_every_entry_has_expected_answers():
    keys = {f"{name}[{variant}]" for name, checks in URLS.items() for variant, _m, _b in checks}
    assert keys == set(EXPECTED), sorted(keys ^ set(EXPECTED))


def outcome(response):
    if response.status_code in (301, 302):
        location = response["Location"]
        if "/admin/login" in location:
            return "admin-login"
        if location.startswith(resolve_url(settings.LOGIN_URL)):
            return "login"
        return "redirect"
    return response.status_code


def cases():
    for name, checks in URLS.items():
        for variant, method, build in checks:
            key = f"{name}[{variant}]"
            default, overrides = EXPECTED.get(key, (None, {}))
            for role in ROLES:
                expected = overrides.get(role, default)
                marks = ([pytest.mark.xfail(strict=True, reason=f"BUG: {BUGS[key, role]}")]
                         if (key, role) in BUGS else [])
                yield pytest.param(key, role, method, build, expected, marks=marks, id=f"{key}-{role}")


@pytest.mark.django_db
@pytest.mark.parametrize(("key", "role", "method", "build", "expected"), list(cases()))
def test_permission_matrix(world, key, role, method, build, expected):
    client = Client()
    if role != "anonymous":
        client.force_login(world["users"][role])
    url = build(world)
    answer = outcome(getattr(client, method)(url))
    assert answer == expected, f"{key} as {role}: {method.upper()} {url} answered {answer!r}, expected {expected!r}"
