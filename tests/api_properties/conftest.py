"""Data and settings for the property-based run over the whole API (stack.md pitfall 11)."""

import datetime as dt
import os

import pytest
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from django.utils import timezone
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token

from cases.models import Referral
from chainwork.models import Notification
from chainwork.reference import load_reference_data
from enterprises.models import SupplyLink
from liaison.models import ContactRecord, LiaisonAssignment
from policies.catalogue import load_policies
from policies.models import Policy, PolicyApplication
from tests.base import make_personas
from tests.cases.workflow_support import case_in
from tests.conftest import build_chain

# A CI-sized run: every operation gets API_PROPERTY_EXAMPLES generated requests per persona, in the same order
# on every run (derandomize), without Hypothesis' per-example deadline (a request is a whole Django stack).
settings.register_profile(
    "api-properties",
    max_examples=int(os.environ.get("API_PROPERTY_EXAMPLES", "10")),
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                           HealthCheck.filter_too_much, HealthCheck.data_too_large],
)
PROFILE = settings.get_profile("api-properties")

# The other demo roles (design.md Contract: ministry-liaison, hubei-lead, guangdong, guangdong-lead, liaison-hubei,
# dept-mot, assoc-auto, admin) get fewer requests each, looking for server errors only: scope and role refusals
# are where their answers differ, and one example per operation and role (API_PROPERTY_ROLE_EXAMPLES) keeps CI in its time.
settings.register_profile(
    "api-properties-roles",
    parent=PROFILE,
    max_examples=int(os.environ.get("API_PROPERTY_ROLE_EXAMPLES", "1")),
)
ROLE_PROFILE = settings.get_profile("api-properties-roles")
FULL_ROLES = ("ministry", "hubei")
OTHER_ROLES = ("ministry_liaison", "hubei_lead", "guangdong", "guangdong_lead", "liaison_hubei", "dept_mot",
               "association", "admin")
DEMO_ROLES = FULL_ROLES + OTHER_ROLES


@pytest.fixture(autouse=True)
def keep_test_transaction():
    """Schemathesis calls the WSGI handler directly, which closes "old" connections at the end of each request:
    inside the test's transaction that would close the connection. Django's own test client does the same."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture(autouse=True)
def api_media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.NOTIFY_DEFAULT_CHANNELS = []


@pytest.fixture(scope="module")
def api_world(django_db_setup, django_db_blocker):
    """Demo-like objects so that generated requests can name ids that exist, and a token per persona.

    Built once for the module inside a transaction that is rolled back at its end; each test runs in a
    savepoint of its own (pytest-django's `db`), so what one operation's requests write never reaches the next.
    """
    with django_db_blocker.unblock(), transaction.atomic():
        world = build_world()
        yield world
        transaction.set_rollback(True)


def build_world() -> dict:
    load_reference_data()
    personas = make_personas()
    chain = build_chain(personas)
    cases = {state: case_in(state, personas, chain)
             for state in ("new", "pending_approval", "escalated", "accepted", "routed", "responded", "closed")}
    load_policies()
    policy = Policy.objects.order_by("pk").first()
    application = PolicyApplication.objects.create(policy=policy, enterprise=chain["lead"], status="applied",
                                                   date=timezone.localdate(), recorded_by=personas.hubei)
    assignment = LiaisonAssignment.objects.create(enterprise=chain["lead"], officer=personas.liaison_hubei,
                                                  cadence_days=3,
                                                  started_on=timezone.localdate() - dt.timedelta(days=30))
    contact = ContactRecord.objects.create(enterprise=chain["lead"], officer=personas.liaison_hubei,
                                           assignment=assignment, contacted_at=timezone.now(),
                                           summary="电话了解复工情况",
                                           next_follow_up=timezone.localdate() + dt.timedelta(days=3))
    tokens = {name: Token.objects.create(user=getattr(personas, name)).key for name in DEMO_ROLES}
    enterprises = [e.pk for e in chain.values() if hasattr(e, "pk")]
    known = {
        "cases": [c.pk for c in cases.values()],
        "enterprises": enterprises,
        "supply-links": list(SupplyLink.objects.values_list("pk", flat=True)),
        "policies": [policy.pk],
        "policy-applications": [application.pk],
        "liaison-assignments": [assignment.pk],
        "contacts": [contact.pk],
        "referrals": list(Referral.objects.values_list("pk", flat=True)),
        "notifications": list(Notification.objects.values_list("pk", flat=True)[:20]),
        "regions": ["42", "44", "33"],
        "departments": ["mot", "mof"],
    }
    return {"personas": personas, "chain": chain, "cases": cases, "tokens": tokens, "known": known}
