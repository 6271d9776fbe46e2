"""第N批问题清单: a province submits several problems for approval at once, and the lead approves and
escalates the whole batch. Every change of a problem still goes through cases.workflow.perform()."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import connection, transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.models import Case, CaseBatch, State
from cases.workflow import PROVINCE_ROLES, StaleVersion, perform
from chainwork.errors import InvalidState, NotPermitted, ValidationError
from chainwork.models import Region, Role
from chainwork.scope import scope_for

SUBMITTABLE = (State.NEW, State.LOCAL)


@dataclass
class Outcome:
    case_id: int
    number: str
    ok: bool
    message: str = ""


@dataclass
class BatchResult:
    batch: CaseBatch | None = None
    done: list[Outcome] = field(default_factory=list)
    refused: list[Outcome] = field(default_factory=list)

    @property
    def outcomes(self) -> list[Outcome]:
        return [*self.done, *self.refused]


class _NothingSubmitted(Exception):
    """No member could be submitted: roll the batch (and its number) back."""


def next_batch_number(region: Region, year: int) -> int:
    """The next batch sequence of a region and year: one atomic upsert, never given twice."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO cases_casebatchcounter (region_id, year, last) VALUES (%s, %s, 1)
            ON CONFLICT (region_id, year) DO UPDATE SET last = cases_casebatchcounter.last + 1
            RETURNING last
            """,
            [region.pk, year],
        )
        (sequence,) = cursor.fetchone()
    return sequence


def can_submit_batch(user) -> bool:
    scope = scope_for(user)
    return scope.role in PROVINCE_ROLES and bool(scope.regions) and getattr(user, "region_id", None) is not None


def can_see_batches(user) -> bool:
    return scope_for(user).role in (Role.PROVINCE, Role.PROVINCE_LEAD, Role.MINISTRY, Role.ADMIN)


def can_approve_batch(user, batch: CaseBatch) -> bool:
    scope = scope_for(user)
    return scope.role == Role.PROVINCE_LEAD and scope.covers(batch.region_id)


def submittable_cases(user):
    """The actor's region's problems that may go into a batch (待研判 or 属地办理中)."""
    if not can_submit_batch(user):
        return Case.objects.none()
    return Case.objects.filter(region_id=user.region_id, state__in=SUBMITTABLE)


def _message(error: Exception) -> str:
    if isinstance(error, ValidationError):
        return "；".join(m for ms in error.message_dict.values() for m in ms)
    return str(getattr(error, "message", None) or (error.args[0] if error.args else error))


def _clean_ids(case_ids) -> list[int]:
    ids: list[int] = []
    for value in case_ids or []:
        try:
            pk = int(value)
        except (TypeError, ValueError):
            continue
        if pk not in ids:
            ids.append(pk)
    return ids


def batch_submit(actor, case_ids, title: str = "", *, at=None) -> BatchResult:
    """提交第N批问题清单: each eligible problem is submitted (提交审核) with the batch in its note; the others
    are reported as refused with their reason. Nothing is created when no problem could be submitted."""
    if not can_submit_batch(actor):
        raise NotPermitted(_("只有省专班可以成批提交问题。"))
    title = (title or "").strip()
    if len(title) > 200:
        raise ValidationError({"title": _("批次名称最多200个字。")})
    ids = _clean_ids(case_ids)
    if not ids:
        raise ValidationError({"cases": _("请至少选择一个问题。")})
    now = at or timezone.now()
    result = BatchResult()
    found = {case.pk: case for case in Case.objects.filter(pk__in=ids).select_related("region")}
    eligible: list[Case] = []
    for pk in ids:
        case = found.get(pk)
        if case is None or case.region_id != actor.region_id:
            result.refused.append(Outcome(pk, case.number if case and scope_for(actor).covers(case.region_id)
                                          else f"#{pk}", False, _("问题不存在或不属于本地区")))
        elif case.state not in SUBMITTABLE:
            reason = _("当前状态为“%(state)s”，只能提交待研判或属地办理中的问题") % {"state": case.get_state_display()}
            result.refused.append(Outcome(pk, case.number, False, reason))
        else:
            eligible.append(case)
    if not eligible:
        return result
    try:
        with transaction.atomic():
            region = Region.objects.get(pk=actor.region_id)
            year = timezone.localtime(now).year
            sequence = next_batch_number(region, year)
            batch = CaseBatch.objects.create(
                region=region, year=year, sequence=sequence, created_by=actor, created_at=now,
                title=title or _("%(year)d年第%(n)d批问题清单") % {"year": year, "n": sequence})
            note = _("随%(batch)s提交（%(title)s）") % {"batch": batch.label, "title": batch.title}
            for case in eligible:
                try:
                    done = perform(case_id=case.pk, action="submit", actor=actor, data={"note": note}, at=now)
                except (Http404, NotPermitted, InvalidState, ValidationError) as error:
                    result.refused.append(Outcome(case.pk, case.number, False, _message(error)))
                else:
                    result.done.append(Outcome(case.pk, done.number, True))
            if not result.done:
                raise _NothingSubmitted
            batch.cases.set([outcome.case_id for outcome in result.done])
    except _NothingSubmitted:
        return result  # every eligible problem failed meanwhile: no batch, no number used
    result.batch = batch
    return result


def batch_for(user, pk: int) -> CaseBatch:
    """The batch if the user may see it (404 otherwise); the caller checks the role first (403)."""
    batch = CaseBatch.objects.visible_to(user).select_related("region", "created_by").filter(pk=pk).first()
    if batch is None:
        raise Http404(_("批次不存在或您无权查看。"))
    return batch


def batch_approve(actor, batch: CaseBatch, *, at=None) -> BatchResult:
    """审核并上报全部: the lead approves every member still 待审核, each through perform("approve")."""
    if not CaseBatch.objects.visible_to(actor).filter(pk=batch.pk).exists():
        raise Http404(_("批次不存在或您无权查看。"))
    if not can_approve_batch(actor, batch):
        raise NotPermitted(_("只有本省专班负责人可以审核并上报。"))
    result = BatchResult(batch=batch)
    note = _("%(batch)s审核并上报") % {"batch": batch.label}
    for case in batch.cases.order_by("sequence", "pk"):
        if case.state != State.PENDING_APPROVAL:
            result.refused.append(Outcome(case.pk, case.number, False, _("当前状态为“%(state)s”，无需审核")
                                          % {"state": case.get_state_display()}))
            continue
        try:
            done = perform(case_id=case.pk, action="approve", actor=actor, data={"note": note},
                           version=case.version, at=at)
        except StaleVersion:
            result.refused.append(Outcome(case.pk, case.number, False, _("已被他人更新，请刷新后重试")))
        except (Http404, NotPermitted, InvalidState, ValidationError) as error:
            result.refused.append(Outcome(case.pk, case.number, False, _message(error)))
        else:
            result.done.append(Outcome(case.pk, done.number, True))
    return result
