"""一对一联系: liaison assignments, contact records (联系服务记录), their photos, and a problem raised
from a contact. Every write of the feature goes through here (pages, API, demo data alike).
Reads shared by pages, API, reminders and the coverage report are the selectors at the end.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Count, F, Q, QuerySet, Window
from django.db.models.functions import RowNumber
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.models import Source
from cases.services import CaseData, case_create
from chainwork.errors import NotPermitted, ValidationError
from chainwork.models import Region, Role, User
from chainwork.scope import scope_for
from enterprises.models import Enterprise, StatusReport
from enterprises.services import StatusData, status_report_record
from liaison.models import Cadence, ContactChannel, ContactPhoto, ContactRecord, LiaisonAssignment

MAX_PHOTO_BYTES = 5 * 1024 * 1024
MAX_PHOTOS = 9
# Recognised by their first bytes, not by the name or the browser's claim.
IMAGE_SIGNATURES = (
    (b"\xff\xd8\xff", ".jpg", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", ".png", "image/png"),
    (b"GIF87a", ".gif", "image/gif"),
    (b"GIF89a", ".gif", "image/gif"),
)
ASSIGNER_ROLES = (Role.PROVINCE, Role.PROVINCE_LEAD, Role.MINISTRY, Role.ADMIN)
# Besides the assigned 驻企联络员: officials who keep their own 一对一 contacts with the enterprises on
# the lists of the regions they cover.
REGION_RECORDER_ROLES = (Role.PROVINCE, Role.PROVINCE_LEAD, Role.MINISTRY_LIAISON)
EARLIEST_CONTACT = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
# An assignment's columns its triggers set on every write (see LiaisonAssignment).
KEPT_FOLLOW_UP = ["last_contact_at", "due_on"]


def edit_window() -> dt.timedelta:
    return dt.timedelta(hours=getattr(settings, "CONTACT_EDIT_HOURS", 48))


def default_cadence(enterprise: Enterprise) -> int:
    """Lead enterprises every 3 days, others weekly."""
    return Cadence.EVERY_3_DAYS if enterprise.is_lead else Cadence.WEEKLY


# --- assignments --------------------------------------------------------------------------------------


def can_assign(user, enterprise: Enterprise) -> bool:
    scope = scope_for(user)
    return scope.role in ASSIGNER_ROLES and scope.covers(enterprise.list_region_id)


def assignable_officers(user) -> QuerySet:
    """Liaison officers the user may assign: province users those of their region, the ministry anyone."""
    scope = scope_for(user)
    if scope.role not in ASSIGNER_ROLES:
        return User.objects.none()
    officers = User.objects.filter(role=Role.LIAISON, is_active=True)
    if not scope.is_national:
        officers = officers.filter(region_id__in=sorted(scope.regions or ()))
    return officers.order_by("username")


@transaction.atomic
def assignment_set(*, actor, enterprise: Enterprise, officer, cadence_days: int | None = None,
                   started_on: dt.date | None = None) -> LiaisonAssignment:
    """Assign `officer` to the enterprise; the current assignment, if another officer's, ends today."""
    if not can_assign(actor, enterprise):
        raise NotPermitted(_("您不能为该企业指派联络员。"))
    if not assignable_officers(actor).filter(pk=officer.pk).exists():
        raise ValidationError({"officer": _("请选择本地区的驻企联络员。")})
    cadence = cadence_days or default_cadence(enterprise)
    if cadence not in Cadence.values:
        raise ValidationError({"cadence_days": _("请选择联系频次。")})
    today = timezone.localdate()
    # The enterprise row is the lock: two assigners at once queue here instead of failing on the constraint.
    Enterprise.objects.select_for_update().filter(pk=enterprise.pk).first()
    current = LiaisonAssignment.objects.filter(enterprise=enterprise, ended_on__isnull=True).first()
    if current is not None and current.officer_id == officer.pk:
        if current.cadence_days != cadence:
            current.cadence_days = cadence
            current.save(update_fields=["cadence_days"])
            current.refresh_from_db(fields=KEPT_FOLLOW_UP)
        return current
    start = started_on or today
    if current is not None:
        current.ended_on = max(start, current.started_on)
        current.save(update_fields=["ended_on"])
    assignment = LiaisonAssignment.objects.create(enterprise=enterprise, officer=officer, cadence_days=cadence,
                                                  started_on=start, assigned_by=actor)
    assignment.refresh_from_db(fields=KEPT_FOLLOW_UP)
    return assignment


@transaction.atomic
def assignment_end(*, actor, assignment: LiaisonAssignment, ended_on: dt.date | None = None) -> LiaisonAssignment:
    if not can_assign(actor, assignment.enterprise):
        raise NotPermitted(_("您不能结束该联络员分工。"))
    assignment = LiaisonAssignment.objects.select_for_update().get(pk=assignment.pk)
    if assignment.ended_on is None:
        assignment.ended_on = max(ended_on or timezone.localdate(), assignment.started_on)
        assignment.save(update_fields=["ended_on"])
    return assignment


# --- contact records ----------------------------------------------------------------------------------


@dataclass
class ContactData:
    summary: str
    channel: str = ContactChannel.PHONE
    contacted_at: dt.datetime | None = None
    participants: str = ""
    problems_raised: str = ""
    next_follow_up: dt.date | None = None


@dataclass
class Figures:
    """The enterprise's figures of the day, taken in a contact (enterprises.StatusReport's fields)."""

    resumed: str | None = None
    staff_at_work: int | None = None
    staff_normal: int | None = None
    output: Decimal | None = None
    output_normal: Decimal | None = None

    @property
    def given(self) -> bool:
        return any(getattr(self, name) not in (None, "") for name in FIGURE_FIELDS)


FIGURE_FIELDS = ("resumed", "staff_at_work", "staff_normal", "output", "output_normal")


def _record_figures(*, actor, record: ContactRecord, figures: Figures | None, source: str) -> None:
    """The figures become the enterprise's status report for the contact's day (created, or corrected
    if that day has one), in the caller's transaction; none given, none written."""
    if figures is None or not figures.given:
        return
    if not figures.resumed:
        raise ValidationError({"resumed": _("填写当日情况时请选择复工情况。")})
    day = timezone.localtime(record.contacted_at).date()
    report = status_report_record(actor=actor, enterprise=record.enterprise, source=source, data=StatusData(
        date=day, resumed=figures.resumed, staff_at_work=figures.staff_at_work, staff_normal=figures.staff_normal,
        output=figures.output, output_normal=figures.output_normal,
    ))
    if record.status_report_id != report.pk:
        record.status_report = report
        record.save(update_fields=["status_report", "updated_at"])


def current_assignment(enterprise: Enterprise, officer) -> LiaisonAssignment | None:
    return LiaisonAssignment.objects.filter(enterprise=enterprise, officer_id=officer.pk,
                                            ended_on__isnull=True).first()


def can_record(user, enterprise: Enterprise) -> bool:
    """The assigned officer, or a province official or ministry liaison covering the enterprise's list
    (their own visits and calls)."""
    scope = scope_for(user)
    if scope.role == Role.LIAISON:
        return current_assignment(enterprise, user) is not None
    if scope.role in REGION_RECORDER_ROLES:
        return scope.covers(enterprise.list_region_id)
    return False


def can_edit_record(user, record: ContactRecord, now: dt.datetime | None = None) -> bool:
    now = now or timezone.now()
    return record.officer_id == user.pk and now - record.created_at <= edit_window()


def _clean(data: ContactData, *, cadence: int, now: dt.datetime) -> ContactData:
    errors = {}
    contacted_at = data.contacted_at or now
    if contacted_at > now + dt.timedelta(minutes=10):
        errors["contacted_at"] = _("联系时间不能晚于现在。")
    elif contacted_at < EARLIEST_CONTACT:  # a mistyped year; the year 1 does not even convert to local time
        errors["contacted_at"] = _("联系时间有误，请填写实际联系的时间。")
        contacted_at = now
    if data.channel not in ContactChannel.values:
        errors["channel"] = _("请选择联系方式。")
    if not (data.summary or "").strip():
        errors["summary"] = _("请填写联系情况。")
    contact_day = timezone.localtime(contacted_at).date()
    next_follow_up = data.next_follow_up or contact_day + dt.timedelta(days=cadence)
    if next_follow_up < contact_day:
        errors["next_follow_up"] = _("下次联系日期不能早于本次联系日期。")
    if len(data.participants or "") > 200:
        errors["participants"] = _("参加人员最多200个字。")
    if errors:
        raise ValidationError(errors)
    return ContactData(summary=data.summary.strip(), channel=data.channel, contacted_at=contacted_at,
                       participants=(data.participants or "").strip(),
                       problems_raised=(data.problems_raised or "").strip(), next_follow_up=next_follow_up)


@transaction.atomic
def contact_record_create(*, actor, enterprise: Enterprise, data: ContactData, photos=(),
                          figures: Figures | None = None,
                          source: str = StatusReport.Source.FORM) -> ContactRecord:
    """A contact record, and with `figures` the enterprise's status report of the contact's day."""
    if not can_record(actor, enterprise):
        raise NotPermitted(_("您不是该企业的联络员，不能登记联系记录。"))
    assignment = current_assignment(enterprise, actor)
    cadence = assignment.cadence_days if assignment else default_cadence(enterprise)
    clean = _clean(data, cadence=cadence, now=timezone.now())
    record = ContactRecord.objects.create(
        enterprise=enterprise, officer=actor, assignment=assignment, contacted_at=clean.contacted_at,
        channel=clean.channel, participants=clean.participants, summary=clean.summary,
        problems_raised=clean.problems_raised, next_follow_up=clean.next_follow_up,
    )
    _record_figures(actor=actor, record=record, figures=figures, source=source)
    for upload in photos:
        contact_photo_add(actor=actor, record=record, upload=upload)
    return record


@transaction.atomic
def contact_record_update(*, actor, record: ContactRecord, data: ContactData, photos=(),
                          figures: Figures | None = None,
                          source: str = StatusReport.Source.FORM) -> ContactRecord:
    record = ContactRecord.objects.select_for_update().get(pk=record.pk)
    if record.officer_id != actor.pk:
        raise NotPermitted(_("只能修改本人的联系记录。"))
    if not can_edit_record(actor, record):
        raise NotPermitted(_("联系记录登记%(hours)d小时后不能再修改。")
                           % {"hours": int(edit_window().total_seconds() // 3600)})
    cadence = record.assignment.cadence_days if record.assignment else default_cadence(record.enterprise)
    clean = _clean(data, cadence=cadence, now=timezone.now())
    for name in ("contacted_at", "channel", "participants", "summary", "problems_raised", "next_follow_up"):
        setattr(record, name, getattr(clean, name))
    record.save()
    _record_figures(actor=actor, record=record, figures=figures, source=source)
    for upload in photos:
        contact_photo_add(actor=actor, record=record, upload=upload)
    return record


def check_photo(upload) -> tuple[str, str]:
    """(extension, content type) of an accepted image; ValidationError otherwise."""
    if upload.size > MAX_PHOTO_BYTES:
        raise ValidationError({"photos": _("图片不能超过5MB：%(name)s") % {"name": upload.name}})
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    for signature, extension, content_type in IMAGE_SIGNATURES:
        if head.startswith(signature):
            return extension, content_type
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return ".webp", "image/webp"
    raise ValidationError({"photos": _("只能上传 JPG、PNG、GIF 或 WebP 图片：%(name)s") % {"name": upload.name}})


def contact_photo_add(*, actor, record: ContactRecord, upload) -> ContactPhoto:
    extension, content_type = check_photo(upload)
    if record.photos.count() >= MAX_PHOTOS:
        raise ValidationError({"photos": _("每条记录最多上传%(n)d张图片。") % {"n": MAX_PHOTOS}})
    photo = ContactPhoto(record=record, token=secrets.token_hex(16), extension=extension,
                         name=(upload.name or "image")[:200], size=upload.size, content_type=content_type,
                         uploaded_by=actor)
    upload.seek(0)
    photo.file.save(photo.token + extension, ContentFile(upload.read()), save=False)
    photo.save()
    return photo


@transaction.atomic
def raise_problem(*, actor, record: ContactRecord, category_id: int | None, title: str, description: str = "",
                  request: str = "", urgency: str = "normal"):
    """转为问题: the problem raised in a contact becomes a problem in one step, linked to the record.

    The description defaults to what the enterprise reported in the contact; the 企业诉求 (what it asks
    for) is the official's own words and is never copied from the description."""
    if record.officer_id != actor.pk and not can_record(actor, record.enterprise):
        raise NotPermitted(_("您不能从这条联系记录登记问题。"))
    case = case_create(actor=actor, data=CaseData(
        enterprise_id=record.enterprise_id, category_id=category_id, title=title,
        description=description.strip() or record.problems_raised or record.summary, request=request.strip(),
        urgency=urgency, source=Source.CONTACT,
    ))
    record.problems.add(case)
    return case


# --- selectors ----------------------------------------------------------------------------------------


def my_assignments(user) -> QuerySet:
    """The officer's current assignments, overdue follow-ups first."""
    return (LiaisonAssignment.objects.filter(officer_id=user.pk, ended_on__isnull=True)
            .select_related("enterprise", "enterprise__list_region").order_by("due_on", "enterprise__name_pinyin"))


def assignments_visible_to(user) -> QuerySet:
    """Assignments of enterprises the user sees in full (and the officer's own)."""
    scope = scope_for(user)
    if scope.is_anonymous:
        return LiaisonAssignment.objects.none()
    if scope.role == Role.LIAISON:
        return LiaisonAssignment.objects.filter(officer_id=user.pk)
    if scope.role == Role.DEPARTMENT:
        return LiaisonAssignment.objects.none()
    return LiaisonAssignment.objects.filter(enterprise__in=Enterprise.objects.visible_to(user).values("pk"))


def coverage_counts(user, today: dt.date | None = None) -> list[dict]:
    """Per region (code): current assignments and how many are within their cadence, counted in the
    database — what the dashboard shows, without loading every assignment."""
    today = today or timezone.localdate()
    rows = (assignments_visible_to(user).filter(ended_on__isnull=True)
            .values(region=F("enterprise__list_region"))
            .annotate(assigned=Count("pk"), on_time=Count("pk", filter=Q(due_on__gte=today)))
            .order_by("region"))
    return list(rows)


# The late enterprises the coverage page names per region, most overdue first; the counts cover them all.
LATE_SHOWN = 20


def coverage(user, today: dt.date | None = None) -> list[dict]:
    """Per region: current assignments and how many are within their cadence (follow-up not yet past),
    counted in the database, and the most overdue of the others (up to LATE_SHOWN each; `late_count` is
    all of them)."""
    today = today or timezone.localdate()
    by_code = Region.objects.in_bulk(field_name="code")
    counts = coverage_counts(user, today)
    regions: dict[str, dict] = {}
    for row in counts:
        assigned, on_time = row["assigned"], row["on_time"]
        regions[row["region"]] = {"region": by_code[row["region"]],
                                  "assigned": assigned, "on_time": on_time, "late_count": assigned - on_time,
                                  "share": on_time / assigned if assigned else None, "late": []}
    late = (assignments_visible_to(user).filter(ended_on__isnull=True)
            .filter(due_on__lt=today).select_related("enterprise", "officer")
            .annotate(rank=Window(RowNumber(), partition_by=[F("enterprise__list_region")],
                                  order_by=[F("due_on").asc(), F("pk").asc()]))
            .order_by("enterprise__list_region", "due_on", "pk"))
    for a in late.filter(rank__lte=LATE_SHOWN):
        entry = regions.get(a.enterprise.list_region_id)
        if entry is not None:
            a.days_overdue = (today - a.due_on).days
            entry["late"].append(a)
    return sorted(regions.values(), key=lambda entry: (entry["region"].order, entry["region"].code))
