"""The 产业链图谱 index's figures per lead (enterprises.ChainCount): links up and down, 堵点, 薄弱环节 and
links across regions, counted for every lead in one grouped query and kept, so that the index orders and
pages thousands of leads with one indexed join. Beat recounts them every CHAIN_COUNTS_SECONDS; the seeders
count them once loaded."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone

from enterprises.filters import blocked_q
from enterprises.models import ChainCount, Criticality, Direction, Enterprise

FIELDS = ("upstream", "downstream", "blockers", "weak_links", "cross_region")


def with_counts(leads: QuerySet) -> QuerySet:
    """`leads` annotated with their chain's figures, counted now: one filtered aggregate per figure."""
    link = "supply_links"
    partner = "supply_links__partner__"
    return leads.annotate(
        upstream=Count(link, filter=Q(supply_links__direction=Direction.UPSTREAM)),
        downstream=Count(link, filter=Q(supply_links__direction=Direction.DOWNSTREAM)),
        blockers=Count(link, filter=blocked_q(settings.CHAIN_BLOCKER_THRESHOLD, prefix=partner)),
        weak_links=Count(link, filter=Q(supply_links__direction=Direction.UPSTREAM,
                                         supply_links__criticality=Criticality.CORE,
                                         supply_links__single_source=True)),
        cross_region=Count(link, filter=Q(supply_links__partner__region__isnull=True)
                           | ~Q(supply_links__partner__list_region=F("list_region"))),
    )


def recount() -> int:
    """Count every lead's figures and keep them; a lead no longer a lead loses its row. Returns the leads."""
    now = timezone.now()
    rows = [ChainCount(lead_id=values[0], counted_at=now, **dict(zip(FIELDS, values[1:], strict=True)))
            for values in with_counts(Enterprise.objects.filter(is_lead=True)).values_list("pk", *FIELDS).order_by()]
    with transaction.atomic():
        ChainCount.objects.bulk_create(rows, batch_size=2000, update_conflicts=True, unique_fields=["lead"],
                                       update_fields=[*FIELDS, "counted_at"])
        ChainCount.objects.filter(counted_at__lt=now).delete()
    return len(rows)


def kept(leads: QuerySet) -> QuerySet:
    """`leads` with their kept figures (0 for a lead added since the last count), for ordering and paging."""
    return leads.annotate(**{name: Coalesce(f"chain_count__{name}", 0) for name in FIELDS})


def counted_at():
    """When the kept figures were counted (None before the first count)."""
    return ChainCount.objects.order_by("-counted_at").values_list("counted_at", flat=True).first()
