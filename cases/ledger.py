"""The 问题台账 list pages, apart from the views: quick filters per role and their counts, saved views,
bulk actions and the export rows. Changes of a problem go through cases.workflow.perform(); the only
writes here are of the page's own saved views."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet
from django.http import Http404, QueryDict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cases.deadlines import Light
from cases.filters import CaseFilter
from cases.models import Case, Level, SavedView, State
from cases.tally import conditions_tallied, narrowed, tallies_for, total
from cases.workflow import StaleVersion, perform
from chainwork.errors import InvalidState, NotPermitted, ValidationError
from chainwork.models import Role
from chainwork.scope import MINISTRY_SIDE, role_for

page_role = role_for

QUEUE_ROLES = MINISTRY_SIDE


def can_see_queue(user) -> bool:
    return page_role(user) in QUEUE_ROLES


# --- quick filters (tabs) per role ----------------------------------------------------------------


@dataclass(frozen=True)
class Tab:
    key: str
    label: str
    params: tuple[tuple[str, str], ...]  # the query string the tab stands for
    condition: Q | None  # the same rows, for the counts


_OPEN = ~Q(state=State.CLOSED)
_NEW = Tab("new", gettext_lazy("待研判"), (("state", State.NEW),), Q(state=State.NEW))
_LOCAL = Tab("local", gettext_lazy("属地办理中"), (("state", State.LOCAL),), Q(state=State.LOCAL))
_PENDING = Tab("pending", gettext_lazy("待审核"), (("state", State.PENDING_APPROVAL),),
               Q(state=State.PENDING_APPROVAL))
_ESCALATED = Tab("escalated", gettext_lazy("已上报"), (("level", Level.MINISTRY), ("open", "true")),
                 Q(level=Level.MINISTRY) & _OPEN)
_ALL = Tab("all", gettext_lazy("全部"), (), None)
_OPEN_TAB = Tab("open", gettext_lazy("未办结"), (("open", "true"),), _OPEN)
_OVERDUE = Tab("overdue", gettext_lazy("超期"), (("light", Light.RED),), Q(light_value=Light.RED))

TABS = {
    Role.PROVINCE: [_NEW, _LOCAL, _PENDING, _ESCALATED, _ALL],
    Role.PROVINCE_LEAD: [_PENDING, _NEW, _LOCAL, _ESCALATED, _ALL],
    Role.MINISTRY: [
        Tab("waiting", gettext_lazy("待受理"), (("state", State.ESCALATED),), Q(state=State.ESCALATED)),
        Tab("accepted", gettext_lazy("已受理"), (("state", State.ACCEPTED),), Q(state=State.ACCEPTED)),
        Tab("routed", gettext_lazy("已转办"), (("state", State.ROUTED),), Q(state=State.ROUTED)),
        Tab("listed", gettext_lazy("挂牌督办"), (("supervision", "listed"),), Q(supervision="listed") & _OPEN),
        _ALL,
    ],
}
TABS[Role.ADMIN] = TABS[Role.MINISTRY]  # the administrator sees the nation as the 部专班 does
DEFAULT_TABS = [_OPEN_TAB, _OVERDUE, _ALL]


def tabs_for(user, queryset: QuerySet, current: QueryDict, filtered: QuerySet | None = None) -> tuple[list[dict], int]:
    """The role's quick filters with their counts and which one the page shows now, and the number of
    rows the filters leave (`filtered`, for the paginator): all in one query."""
    tabs = TABS.get(page_role(user), DEFAULT_TABS)
    counted = [tab for tab in tabs if tab.condition is not None]
    counts = _tallied_counts(user, counted, current, filtered)
    if counts is None:
        counts = _live_counts(queryset, counted, filtered)
    shown = sorted((k, v) for k, v in current.lists() if k in FILTER_KEYS and k != "ordering" and any(v))
    result = []
    for tab in tabs:
        params = QueryDict(mutable=True)
        for key, value in tab.params:
            params.appendlist(key, value)
        ordering = current.get("ordering")
        if ordering:
            params["ordering"] = ordering
        result.append({
            "key": tab.key, "label": tab.label, "query": params.urlencode(),
            "count": counts[tab.key] if tab.condition is not None else counts["_all"],
            "active": shown == sorted((k, [v]) for k, v in tab.params),
        })
    return result, counts.get("_filtered", counts["_all"])


def shows_lights(user, current: QueryDict) -> bool:
    """Whether the page's rows or counts depend on the deadline lights (a tab or the filter on them), and
    so change as time passes without any write."""
    tabs = TABS.get(page_role(user), DEFAULT_TABS)
    return bool(current.get("light")) or any(key == "light" for tab in tabs for key, _value in tab.params)


def _tallied_counts(user, counted: list[Tab], current: QueryDict, filtered: QuerySet | None) -> dict | None:
    """The counts from the problem tally (cases/tally.py), or None where it cannot answer them: a view
    that is not whole regions, a tab or a filter on something the tally does not hold."""
    tallies = tallies_for(user)
    if tallies is None or not conditions_tallied(*(tab.condition for tab in counted)):
        return None
    conditions = {"_all": None, **{tab.key: tab.condition for tab in counted}}
    if filtered is not None:
        condition = narrowed(tallies, current)
        if condition is None:
            return None
        conditions["_filtered"] = condition
    return total(tallies, **conditions)


def _live_counts(queryset: QuerySet, counted: list[Tab], filtered: QuerySet | None) -> dict:
    """The counts from the problems themselves: one query, and one more for the rows the filters leave (as
    a filter of the first, `pk IN (filtered)` would be probed once per problem in view)."""
    # DISTINCT only where the rows can repeat (a liaison officer's problems come through joins): a
    # province's region is thousands of rows at national scale, and COUNT(DISTINCT) sorts them each time.
    distinct = bool(queryset.query.distinct)
    counts = queryset.order_by().aggregate(
        _all=Count("pk", distinct=distinct),
        **{tab.key: Count("pk", filter=tab.condition, distinct=distinct) for tab in counted})
    if filtered is not None:
        counts["_filtered"] = filtered.order_by().count()
    return counts


# --- saved views -------------------------------------------------------------------------------------

FILTER_KEYS = frozenset(CaseFilter.base_filters)


def clean_query(query: QueryDict) -> str:
    """Only the 问题台账's own filters (and sort) are kept: no page number, no stray parameters."""
    kept = QueryDict(mutable=True)
    for key, values in query.lists():
        if key in FILTER_KEYS:
            for value in values:
                if value.strip():
                    kept.appendlist(key, value.strip())
    return kept.urlencode()


def _work_group(user) -> Q:
    """The users a shared view is for: the 省专班 of the same region (经办人 and 负责人), the 驻企联络员 of
    the same region, the same department, or everyone of the same national role. A shared view is only a
    name and a set of filters: each user's own scope decides which problems it lists."""
    role = page_role(user)
    if role in (Role.PROVINCE, Role.PROVINCE_LEAD):
        return Q(owner__role__in=[Role.PROVINCE, Role.PROVINCE_LEAD], owner__region_id=user.region_id)
    if role == Role.LIAISON:
        return Q(owner__role=Role.LIAISON, owner__region_id=user.region_id)
    if role == Role.DEPARTMENT:
        return Q(owner__role=Role.DEPARTMENT, owner__department_id=user.department_id)
    return Q(owner__role=role)


def saved_views_for(user) -> QuerySet:
    return (SavedView.objects.filter(Q(owner=user) | Q(shared=True) & _work_group(user))
            .select_related("owner").order_by("name", "pk"))


def saved_view_save(*, owner, name: str, query: str, shared: bool) -> SavedView:
    """Save the filters under a name; saving again under the same name replaces them."""
    view, _created = SavedView.objects.update_or_create(
        owner=owner, name=name.strip(), defaults={"query": query, "shared": shared})
    return view


def saved_view_delete(*, owner, pk: int) -> None:
    deleted, _rows = SavedView.objects.filter(owner=owner, pk=pk).delete()
    if not deleted:
        raise Http404


# --- bulk actions ---------------------------------------------------------------------------------------

BULK_ACTIONS = {Role.PROVINCE_LEAD: ("approve", State.PENDING_APPROVAL), Role.MINISTRY: ("accept", State.ESCALATED)}


def bulk_action_for(user) -> tuple[str, str] | None:
    """The action (and the state it applies to) the role may take on many problems at once."""
    return BULK_ACTIONS.get(role_for(user))


@dataclass
class BulkResult:
    done: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)


def parse_bulk_items(values: list[str]) -> list[tuple[int, int | None]]:
    """Checkbox values are "<id>:<version>" so that a problem changed meanwhile is reported, not overrun."""
    items = []
    for value in values:
        pk, _sep, version = value.partition(":")
        if pk.isdecimal():
            items.append((int(pk), int(version) if version.isdecimal() else None))
    return items


def bulk_perform(*, actor, action: str, items: list[tuple[int, int | None]]) -> BulkResult:
    """Each problem through perform() in its own transaction; every failure is reported with its reason."""
    numbers = dict(Case.objects.seen_by(actor).filter(pk__in=[pk for pk, _v in items]).values_list("pk", "number"))
    result = BulkResult()
    for pk, version in items:
        number = numbers.get(pk)
        try:
            case = perform(case_id=pk, action=action, actor=actor, data={}, version=version)
        except Http404:
            result.failed.append((number or f"#{pk}", _("问题不存在或您无权查看")))
        except StaleVersion:
            result.failed.append((number, _("已被他人更新，请刷新后重试")))
        except (NotPermitted, InvalidState) as error:
            result.failed.append((number, _message(error)))
        except ValidationError as error:
            result.failed.append((number, "；".join(m for ms in error.message_dict.values() for m in ms)))
        else:
            result.done.append(case.number)
    return result


def _message(error: Exception) -> str:
    return getattr(error, "message", None) or (error.args[0] if error.args else str(error))


# --- export -----------------------------------------------------------------------------------------------

EXPORT_HEADERS = [gettext_lazy("编号"), gettext_lazy("标题"), gettext_lazy("企业"), gettext_lazy("地区"),
                  gettext_lazy("类别"), gettext_lazy("紧急程度"), gettext_lazy("状态"), gettext_lazy("办理时限"),
                  gettext_lazy("时限状态"), gettext_lazy("登记时间"), gettext_lazy("登记人")]


def export_rows(queryset: QuerySet):
    for case in queryset.iterator(chunk_size=2000):
        yield [case.number, case.title, case.enterprise.name, str(case.region), case.category.name,
               case.get_urgency_display(), case.get_state_display(), case.due_at or "",
               str(Light.LABELS.get(case.light_value, "")), case.created_at, str(case.reporter)]


def export_filters(query: QueryDict) -> dict:
    kept = QueryDict(clean_query(query))
    return {key: values[0] if len(values) == 1 else values for key, values in kept.lists()}


