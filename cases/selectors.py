"""Every read of problems that a page, API, export or report uses: scoped, joined, annotated."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

from django.db import models
from django.db.models import CharField, F, Prefetch, Q, QuerySet, Value, When
from django.db.models.query import ValuesIterable
from django.utils import timezone

from cases.deadlines import WARNING_WINDOW, Light
from cases.models import Case, CaseEvent, CaseShare, Visibility
from chainwork.models import Association, Region, Role, User
from chainwork.scope import scope_for
from enterprises.models import SupplyLink


def with_light(queryset: QuerySet, now: dt.datetime | None = None) -> QuerySet:
    """Annotate `light_value`: red past the deadline, yellow within a day of it, green otherwise."""
    now = now or timezone.now()
    return queryset.annotate(light_value=models.Case(
        When(state="closed", then=Value(Light.NONE)),
        When(due_at__isnull=True, then=Value(Light.NONE)),
        When(due_at__lt=now, then=Value(Light.RED)),
        When(due_at__lte=now + WARNING_WINDOW, then=Value(Light.YELLOW)),
        default=Value(Light.GREEN), output_field=CharField(),
    ))


def light_q(value: str, now: dt.datetime | None = None) -> Q:
    """The rows whose `light_value` (with_light) is `value`, as conditions on the columns: the state and
    deadline indexes answer them, where a filter on the CASE expression reads every row in scope."""
    now = now or timezone.now()
    shown = ~Q(state="closed") & Q(due_at__isnull=False)
    if value == Light.RED:
        return shown & Q(due_at__lt=now)
    if value == Light.YELLOW:
        return shown & Q(due_at__gte=now, due_at__lte=now + WARNING_WINDOW)
    if value == Light.GREEN:
        return shown & Q(due_at__gt=now + WARNING_WINDOW)
    return Q(state="closed") | Q(due_at__isnull=True)


URGENCY_RANK = models.Case(When(urgency="critical", then=Value(1)), When(urgency="urgent", then=Value(2)),
                           default=Value(3), output_field=models.IntegerField())


def case_list(user) -> QuerySet:
    """The 问题台账 rows the user sees in full, with what a list row shows."""
    return with_light(
        Case.objects.visible_to(user).annotate(urgency_rank=URGENCY_RANK)
        .select_related("region", "enterprise", "category", "reporter")
        .order_by(F("due_at").asc(nulls_last=True), "-pk")
    )


# What a 问题台账, queue or 协办 row shows: the rest of a problem (its description, request, response…)
# stays in the database, and so does the reporter, whom no row names. The association (来源 of a problem a
# 行业协会 registered) is named by ListRowIterable: one more table in the join cost 2–3 ms of planning at w1
# for the few rows that have one.
ROW_FIELDS = ("number", "title", "supervision", "urgency", "state", "due_at", "created_at", "escalated_at", "version",
              "region__name", "region__name_en", "enterprise__name", "category__name", "association_id")


class RegionRow(SimpleNamespace):
    """A list row's region: named as Region names itself, in the active language."""

    def __str__(self) -> str:
        return Region.label(self.name, self.name_en)


class ListRow(SimpleNamespace):
    """A problem as a list row reads it: `row.number`, `row.enterprise.name`… but no model instance (half
    the cost of fetching 50 rows at w1), so nothing else of the problem can be reached from it.

    `fingerprint` spells every value the row holds: the key of its cached rendering (the row partials'
    {% cache %}), which therefore changes whenever anything a row can show changes — the light included."""

    @classmethod
    def of(cls, values: dict) -> ListRow:
        related: dict[str, dict] = {}
        plain = {}
        for key, value in values.items():
            if "__" in key:
                name, attribute = key.split("__", 1)
                related.setdefault(name, {})[attribute] = value
            else:
                plain[key] = value
        return cls(**plain, **{name: (RegionRow if name == "region" else SimpleNamespace)(**attributes)
                                for name, attributes in related.items()},
                   fingerprint=repr(tuple(values.values())))


class ListRowIterable(ValuesIterable):
    def __iter__(self):
        rows = list(super().__iter__())
        ids = {values["association_id"] for values in rows} - {None}
        names = dict(Association.objects.filter(pk__in=ids).values_list("pk", "name")) if ids else {}
        for values in rows:
            values["association__name"] = names.get(values.pop("association_id"))
            yield ListRow.of(values)


def for_rows(queryset: QuerySet) -> QuerySet:
    """The queryset yielding ListRows with only the columns a list row renders (and its deadline light)."""
    rows = queryset.values("pk", "light_value", *ROW_FIELDS)
    rows._iterable_class = ListRowIterable
    return rows


def shared_case_list(user) -> QuerySet:
    """协办 requests to the user's region (limited view)."""
    return with_light(Case.objects.shared_with(user).annotate(urgency_rank=URGENCY_RANK)
                      .select_related("region", "category", "enterprise").order_by("-pk"))


def registered_case_list(user) -> QuerySet:
    """The problems a 行业协会 registered (its limited view), newest first, with what a row shows."""
    return (Case.objects.shared_with(user).select_related("region", "enterprise")
            .only("number", "title", "state", "created_at", "region__name", "region__name_en", "enterprise__name")
            .order_by("-created_at", "-pk"))


def case_for_view(user, pk: int) -> tuple[Case, bool]:
    """The problem and whether the user sees it in full; Http404 outside both views."""
    from django.shortcuts import get_object_or_404

    # Five tables in the join: each one more costs PostgreSQL's planner more than the query takes to run
    # (ten of them, 4–8 ms of planning at national scale), so the people and the supply link are read
    # apart (_with_people_and_link). Not duplicate_of either: views._merged reads it with the merged ones.
    related = ("region", "enterprise__region", "category")
    # In full first (one indexed lookup for most users); only then the limited view.
    # Unordered: the model's default order would sort the one row (and cost the planner a sort path).
    case = next(iter(Case.objects.visible_to(user).select_related(*related).filter(pk=pk).order_by()[:1]), None)
    if case is not None:
        return _with_people_and_link(case), True
    case = get_object_or_404(Case.objects.shared_with(user).select_related(*related), pk=pk)
    return _with_people_and_link(case), False


def _with_people_and_link(case: Case) -> Case:
    """The problem's reporter, handler and signer in one query, its supply link with the partner and the
    association that registered it."""
    people = User.objects.in_bulk({case.reporter_id, case.handler_id, case.signed_by_id} - {None})
    case.reporter = people[case.reporter_id]
    case.handler = people.get(case.handler_id)
    case.signed_by = people.get(case.signed_by_id)
    case.supply_link = (SupplyLink.objects.select_related("partner").get(pk=case.supply_link_id)
                        if case.supply_link_id else None)
    case.association = Association.objects.get(pk=case.association_id) if case.association_id else None
    return case


# Timeline lines that are another party's task: a 行业协会 following its problem reads none of them.
OTHERS_TASKS = [CaseEvent.Kind.REFERRAL, CaseEvent.Kind.URGE, CaseEvent.Kind.SUPERVISE, CaseEvent.Kind.EXTENSION,
                CaseEvent.Kind.SHARE, CaseEvent.Kind.SHARE_REPLY, CaseEvent.Kind.FLAG, CaseEvent.Kind.LINK]


def visible_events(user, case: Case, *, full: bool) -> QuerySet:
    """The timeline rows this user may read (design.md "Internal comments"): 部专班 notes to the
    ministry side; a province's internal notes to that province's work group (not its 驻企联络员), the
    ministry, the ministry liaisons covering it and administrators; limited viewers only their own
    exchange. The one rule of the page and the API."""
    scope = scope_for(user)
    events = case.events.select_related("actor", "actor_region").prefetch_related(Prefetch("attachments"))
    ministry_side = scope.ministry_side
    if not full:
        if scope.role == Role.DEPARTMENT:
            # A department reads the shared timeline (design.md "A department's view"), except what is
            # another party's task: other departments' referrals, chasing and 申请延期, and 协办 requests.
            department = user.department.slug if user.department_id else ""
            tasks = Q(kind__in=[CaseEvent.Kind.REFERRAL, CaseEvent.Kind.URGE, CaseEvent.Kind.SUPERVISE,
                                CaseEvent.Kind.EXTENSION, CaseEvent.Kind.SHARE])
            return events.filter(visibility=Visibility.SHARED).filter(~tasks | Q(data__department=department))
        if scope.role == Role.ASSOCIATION:
            # The association that registered it follows its progress: the shared timeline, without
            # other parties' tasks (referrals, chasing, 申请延期, 协办).
            return events.filter(visibility=Visibility.SHARED).exclude(kind__in=OTHERS_TASKS)
        mine = Q(actor_region__in=sorted(scope.regions or [])) | Q(actor_id=user.pk)
        task = Q(kind=CaseEvent.Kind.SHARE, data__region__in=sorted(scope.regions or []))
        return events.filter(visibility=Visibility.SHARED).filter(
            Q(kind=CaseEvent.Kind.CREATED) | task | mine | Q(kind=CaseEvent.Kind.COMMENT, actor__role=Role.MINISTRY))
    allowed = [Visibility.SHARED]
    if scope.reads_province_notes(case.region_id):
        allowed.append(Visibility.PROVINCE)
    if ministry_side:
        allowed.append(Visibility.MINISTRY)
    # The author reads what they wrote: a liaison officer's own internal note included.
    return events.filter(Q(visibility__in=allowed) | Q(actor_id=user.pk))


# --- 协办 --------------------------------------------------------------------------------------------------

SHARE_SIDES = ("incoming", "outgoing")


def share_list(user, *, state: str = "", region: str = "", overdue: bool = False, side: str = "") -> QuerySet:
    """The 协办 the user may see (CaseShare.objects.visible_to), pending first, the nearest deadline first;
    with what a row shows (the problem's number and title, asked and asking region) joined.

    `side` narrows a province's list: `incoming` the 协办 asked of its region, `outgoing` those of its own
    problems."""
    scope = scope_for(user)
    pending_first = models.Case(When(state=CaseShare.State.PENDING, then=Value(0)), default=Value(1),
                                output_field=models.IntegerField())
    shares = (CaseShare.objects.visible_to(user)
              .select_related("case__region", "region", "shared_by__region", "replied_by")
              .annotate(pending_rank=pending_first)
              .order_by("pending_rank", F("due_date").asc(nulls_last=True), "-created_at", "-pk"))
    if state in CaseShare.State.values:
        shares = shares.filter(state=state)
    if region:
        shares = shares.filter(region_id=region)
    if overdue:
        shares = shares.filter(state=CaseShare.State.PENDING, due_date__lt=timezone.localdate())
    if side in SHARE_SIDES and scope.regions:
        mine = sorted(scope.regions)
        shares = shares.filter(region__in=mine) if side == "incoming" else shares.filter(case__region__in=mine)
    return shares


def responsible_official(case: Case) -> dict:
    """Whom a department calls about a problem: the 责任人 of local handling when there is one, otherwise
    the problem's 经办人 (cases.holders), else the official who registered it (name, phone, unit)."""
    if case.local_person:
        return {"name": case.local_person, "phone": case.local_phone, "unit": case.local_unit}
    official = case.handler or case.reporter
    return {"name": official.display_name or str(official), "phone": official.phone, "unit": official.unit}
