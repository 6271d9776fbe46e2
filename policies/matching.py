"""Which policies fit an enterprise or a problem, and why (政策落实).

A policy fits when every restriction it has is met: its regions, enterprise sizes, key fields and — for a
problem — its problem categories. An empty restriction means "any". Only policies valid on the day are
suggested: expired or not yet in force ones never are. Each match carries its reasons in Chinese, one per
restriction, so an official can say why a policy was recommended.

The catalogue is small (tens of rows), so matching one enterprise checks every current policy in Python;
listing the enterprises that fit one policy (`enterprises_for_policy`) filters in the database.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from enterprises.models import Enterprise, Size
from policies.models import Policy

SIZE_LABELS = dict(Size.choices)


@dataclass
class Match:
    policy: Policy
    reasons: list[str] = field(default_factory=list)


@dataclass
class Verdict:
    fits: bool
    reasons: list[str]


def _names(items) -> str:
    return "、".join(str(item.name) for item in items)


def eligibility(policy: Policy, enterprise: Enterprise, categories=None) -> Verdict:
    """Whether `enterprise` (and, when given, a problem of one of `categories`) meets `policy`'s
    restrictions, with a reason for each restriction met or failed. Validity is not checked here.

    Expects `policy` with regions, key_fields and categories prefetched, and `enterprise.key_fields`
    prefetched or cheap to read.
    """
    reasons: list[str] = []
    fits = True
    if enterprise.is_abroad:
        return Verdict(False, [_("境外企业不适用国内支持政策")])

    regions = list(policy.regions.all())
    if not regions:
        reasons.append(_("全国适用"))
    elif enterprise.region_id in {r.code for r in regions}:
        reasons.append(_("企业所在地区为%(region)s，适用") % {"region": str(enterprise.region)})
    else:
        fits = False
        reasons.append(_("仅适用于%(regions)s") % {"regions": _names(regions)})

    if policy.sizes:
        allowed = "、".join(str(SIZE_LABELS[s]) for s in policy.sizes if s in SIZE_LABELS)
        if not enterprise.size:
            reasons.append(_("企业规模未登记，请核实（适用：%(sizes)s）") % {"sizes": allowed})
        elif enterprise.size in policy.sizes:
            reasons.append(_("企业规模为%(size)s，符合") % {"size": SIZE_LABELS[enterprise.size]})
        else:
            fits = False
            reasons.append(_("企业规模为%(size)s，不符合（适用：%(sizes)s）")
                           % {"size": SIZE_LABELS[enterprise.size], "sizes": allowed})

    policy_fields = list(policy.key_fields.all())
    if policy_fields:
        shared = [k for k in enterprise.key_fields.all() if k.pk in {p.pk for p in policy_fields}]
        if shared:
            reasons.extend(_("重点领域“%(field)s”适用") % {"field": k.name} for k in shared)
        else:
            fits = False
            reasons.append(_("仅适用于重点领域：%(fields)s") % {"fields": _names(policy_fields)})

    policy_categories = list(policy.categories.all())
    if categories is not None and policy_categories:
        wanted = {c.pk for c in policy_categories}
        shared = [c for c in categories if c.pk in wanted]
        if shared:
            reasons.extend(_("问题类别“%(category)s”适用") % {"category": c.name} for c in shared)
        else:
            fits = False
            reasons.append(_("仅适用于问题类别：%(categories)s") % {"categories": _names(policy_categories)})
    elif policy_categories:
        reasons.append(_("适用问题类别：%(categories)s") % {"categories": _names(policy_categories)})
    return Verdict(fits, reasons)


def _catalogue(at: dt.date) -> QuerySet[Policy]:
    return Policy.objects.current(at).prefetch_related("regions", "key_fields", "categories", "issuers")


def match_for_enterprise(enterprise: Enterprise, at: dt.date | None = None, categories=None) -> list[Match]:
    """The current policies that fit the enterprise, each with why."""
    at = at or timezone.localdate()
    matches = []
    for policy in _catalogue(at):
        verdict = eligibility(policy, enterprise, categories)
        if verdict.fits:
            matches.append(Match(policy, verdict.reasons))
    return matches


def match_for_case(case, at: dt.date | None = None) -> list[Match]:
    """The current policies that fit a problem: its enterprise and its category."""
    return match_for_enterprise(case.enterprise, at=at, categories=[case.category])


def enterprises_for_policy(policy: Policy, enterprises: QuerySet[Enterprise]) -> QuerySet[Enterprise]:
    """Of `enterprises` (a scoped queryset), those that meet the policy's regions, sizes and key fields.
    An enterprise whose size is not registered is kept (its reasons ask to check it), as in `eligibility`."""
    queryset = enterprises.filter(region__isnull=False)
    region_codes = [r.code for r in policy.regions.all()]
    if region_codes:
        queryset = queryset.filter(region__in=region_codes)
    if policy.sizes:
        queryset = queryset.filter(Q(size__in=policy.sizes) | Q(size=""))
    field_ids = [k.pk for k in policy.key_fields.all()]
    if field_ids:
        queryset = queryset.filter(pk__in=Enterprise.objects.filter(key_fields__in=field_ids).values("pk"))
    return queryset
