"""The bodies of the lifecycle actions (design.md Contract "Action bodies"), one serializer per shape.

Each serializer is the whole input of its action: `workflow.perform()` validates with it after the
scope, role and state checks, the API documents its request with it, and the page's form is built from
its fields (cases/forms.py), so a limit is written once. Messages are keyed on the Contract's fields.
Rules that need the problem or the actor (a department already routed, a duplicate 协办 request) are
the action's own, in cases/lifecycle.py.
"""

from __future__ import annotations

from django.core.validators import MaxLengthValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.fields import empty

from cases.models import ClosureType, Satisfaction, Supervision
from chainwork.models import Department, Region

MAX_ID = 2**63 - 1
REQUIRED = _("此项为必填项。")
NOTE_LIMIT = 4000


def _choices_text(choices) -> str:
    return "\n".join(f"* `{value}` - {label}" for value, label in choices)


def inline_enum(choices, *, blank: bool = False, description: str = "") -> dict:
    """An enum kept inline (wrapped in allOf) instead of becoming a named component.

    drf-spectacular names enum components by field name; `source` and `level` name other choice sets too
    (status reports' source, a supervision's level), which it can only resolve with a warning unless
    ENUM_NAME_OVERRIDES (settings) names them. Inline, each keeps its values and labels.
    """
    values = [value for value, _label in choices] + ([""] if blank else [])
    text = _choices_text(choices)
    return {"allOf": [{"type": "string", "enum": values}],
            "description": f"{description}\n\n{text}" if description else text}


# --- fields --------------------------------------------------------------------------------------------
# `style` carries how a page shows the field: "input" (textarea, text, tel, select, radio), "rows",
# "placeholder" and "help".


class Limit(MaxLengthValidator):
    """A text's limit, said in the words the pages have always used."""

    def __call__(self, value):
        if len(value) > self.limit_value:
            raise serializers.ValidationError(_("内容过长，最多%(n)d个字。") % {"n": self.limit_value})


class Text(serializers.CharField):
    """Text a person typed, trimmed. Required when it has a `required_message`; an optional one that is
    missing or null is empty."""

    def __init__(self, *, required_message=None, limit: int = NOTE_LIMIT, **kwargs):
        required = required_message is not None
        message = required_message or REQUIRED
        kwargs["error_messages"] = {"required": message, "blank": message, "null": message,
                                    "invalid": _("请填写文字。"), **kwargs.get("error_messages", {})}
        if not required:
            kwargs.setdefault("default", "")
        super().__init__(required=required, allow_blank=not required, max_length=limit, **kwargs)
        self.validators = [Limit(limit) if isinstance(v, MaxLengthValidator) else v for v in self.validators]

    def run_validation(self, data=empty):
        if data is None and not self.required:
            data = ""
        return super().run_validation(data)



def Note(**kwargs) -> Text:
    kwargs.setdefault("label", _("说明"))
    kwargs.setdefault("style", {"input": "textarea", "rows": 2})
    return Text(**kwargs)


class Day(serializers.DateField):
    """A date as YYYY-MM-DD; not before today when `future`. An empty string counts as no date."""

    def __init__(self, *, future: bool = True, **kwargs):
        self.future = future
        kwargs["error_messages"] = {"required": _("请填写日期。"), "null": _("请填写日期。"),
                                    "invalid": _("日期格式应为YYYY-MM-DD。"), "datetime": _("日期格式应为YYYY-MM-DD。")}
        if not kwargs.get("required", True):
            kwargs.setdefault("allow_null", True)
            kwargs.setdefault("default", None)
        kwargs.setdefault("style", {"input": "date"})
        super().__init__(**kwargs)

    def run_validation(self, data=empty):
        if isinstance(data, str) and not data.strip():
            data = None
        if data is None and self.required:
            self.fail("required")
        return super().run_validation(data)

    def to_internal_value(self, value):
        if isinstance(value, str):
            value = value.strip()
        day = super().to_internal_value(value)
        if self.future and day < timezone.localdate():
            raise serializers.ValidationError(_("日期不能早于今天。"))
        return day


class Choice(serializers.ChoiceField):
    """One of the choices, with one message for every way of missing them. With `blank_means`, an empty
    or missing value is that choice."""

    def __init__(self, choices, *, message, blank_means=None, **kwargs):
        self.blank_means = blank_means
        kwargs["error_messages"] = {"required": message, "invalid_choice": message, "null": message,
                                    "blank": message}
        if blank_means is not None:
            kwargs.update(required=False, default=blank_means)
        super().__init__(choices, **kwargs)

    def run_validation(self, data=empty):
        if self.blank_means is not None and (data is None or data == ""):
            data = self.blank_means
        return super().run_validation(data)


class ReferralId(serializers.IntegerField):
    """The optional referral of 催办 / 督办: its id, checked against the problem by the action."""

    def __init__(self, **kwargs):
        kwargs["error_messages"] = {"invalid": _("转办编号应为整数。")}
        super().__init__(required=False, allow_null=True, default=None, **kwargs)

    def run_validation(self, data=empty):
        if data is empty or data is None or data == "":
            return None
        if isinstance(data, bool) or not isinstance(data, int | str) or not str(data).strip().isdecimal():
            self.fail("invalid")
        value = int(str(data).strip())
        if value > MAX_ID:
            self.fail("invalid")
        return value


@extend_schema_field(inline_enum([(Supervision.SUPERVISE, _("督办")), (Supervision.LISTED, _("挂牌督办"))],
                                 description="督办级别 · supervision level"))
class SupervisionLevel(Choice):
    def __init__(self, **kwargs):
        super().__init__([(Supervision.SUPERVISE, _("督办")), (Supervision.LISTED, _("挂牌督办"))],
                         message=_("督办级别应为督办或挂牌督办。"), **kwargs)


# --- bodies --------------------------------------------------------------------------------------------


class ActionBody(serializers.Serializer):
    """Every action body may carry the version the client last saw; a stale one answers 409."""

    # perform() takes the version apart from the body and checks it before the body (409 before 400).

    version = serializers.IntegerField(required=False, min_value=1,
                                       help_text=_("客户端所见版本；已被他人更新时答 409（亦可用 If-Match）"))


class NoteBody(ActionBody):
    note = Note()


class ReasonBody(ActionBody):
    reason = Text(required_message=_("请填写理由。"), label=_("理由"), help_text=_("理由"),
                  style={"input": "textarea", "rows": 2})


class HandleLocallyBody(ActionBody):
    unit = Text(required_message=_("请填写责任单位。"), limit=100, label=_("责任单位"), help_text=_("责任单位"),
                style={"input": "text"})
    person = Text(required_message=_("请填写责任人。"), limit=32, label=_("责任人"), help_text=_("责任人"),
                  style={"input": "text"})
    phone = Text(required_message=_("请填写责任人电话。"), limit=32, label=_("责任人电话"),
                 help_text=_("责任人电话"), style={"input": "tel"})
    due_date = Day(label=_("办理时限"), help_text=_("办理时限（不早于今天）"))
    note = Note()


class RouteReferralBody(serializers.Serializer):
    department = serializers.CharField(help_text=_("部门标识，如 mot"))
    role = serializers.ChoiceField(choices=[("lead", _("主办")), ("assist", _("协办"))])
    due_date = serializers.DateField()


class Referrals(serializers.ListField):
    """转办's departments, each 主办 or 协办 with its deadline. Every message is keyed on `referrals`,
    naming the row it is about."""

    def __init__(self, **kwargs):
        super().__init__(child=RouteReferralBody(), **kwargs)
        self.due = Day()

    def run_validation(self, data=empty):
        if not isinstance(data, list) or not data:
            raise serializers.ValidationError(_("请至少选择一个承办部门。"))
        return self.to_internal_value(data)

    def to_internal_value(self, data):
        active = {d.slug: d for d in Department.objects.filter(is_active=True)}
        cleaned, seen = [], set()
        for index, item in enumerate(data, start=1):
            item = item if isinstance(item, dict) else {}
            department = active.get(str(item.get("department") or "").strip())
            if department is None:
                raise serializers.ValidationError(_("第%(n)d项：请选择承办部门。") % {"n": index})
            if department.pk in seen:
                raise serializers.ValidationError(_("“%(name)s”重复。") % {"name": department.name})
            seen.add(department.pk)
            role = item.get("role")
            if role not in ("lead", "assist"):
                raise serializers.ValidationError(_("第%(n)d项：承办方式应为主办或协办。") % {"n": index})
            cleaned.append({"department": department, "role": role,
                            "due_date": self.due.run_validation(item.get("due_date"))})
        if sum(1 for item in cleaned if item["role"] == "lead") > 1:
            raise serializers.ValidationError(_("只能有一个主办部门。"))
        return cleaned


class RouteBody(ActionBody):
    referrals = Referrals()
    note = Note(label=_("转办说明"))


class TrackBody(ActionBody):
    next_review = Day(label=_("下次跟踪日期"), help_text=_("下次跟踪日期"))
    note = Note()


class RespondBody(ActionBody):
    response = Text(required_message=_("请填写办理情况。"), label=_("办理情况"), help_text=_("办理情况"),
                    style={"input": "textarea", "rows": 3})
    closure_type = Choice(ClosureType.choices, label=_("办结方式"), style={"input": "select", "blank": True},
                          message=_("请选择办结方式：已解决、部分解决、已解释说明、企业撤回或不属于职责范围。"))


class ConfirmBody(ActionBody):
    confirmed_by = Text(required_message=_("请填写企业确认人。"), limit=64, label=_("企业确认人"),
                        help_text=_("企业确认人"), style={"input": "text"})
    method = Text(required_message=_("请填写确认方式，如电话、书面。"), limit=32, label=_("确认方式"),
                  help_text=_("确认方式，如电话、书面"), style={"input": "text", "placeholder": _("电话、书面或现场")})
    satisfaction = Choice(Satisfaction.choices, message=_("请选择满意度：满意、基本满意或不满意。"),
                          label=_("满意度"), help_text=_("不满意时问题重新办理，不进入待销号"),
                          style={"input": "radio", "help": _("选择“不满意”时问题将重新办理。")})
    date = Day(required=False, future=False, label=_("确认日期"), help_text=_("确认日期，默认今天"),
               style={"input": "date", "max": "today"})
    note = Note()

    def validate_date(self, value):
        return value or timezone.localdate()


class CloseDuplicateBody(ActionBody):
    original = Text(required_message=_("请指定并入的原问题。"), limit=64, label=_("原问题编号"),
                    help_text=_("原问题 id 或编号"),
                    style={"input": "text", "placeholder": _("如：鄂〔2026〕第0001号")})
    note = Note()


class LinkBody(ActionBody):
    other = Text(required_message=_("请填写相关问题的编号。"), limit=64, label=_("相关问题编号"),
                 help_text=_("相关问题 id 或编号"),
                 style={"input": "text", "placeholder": _("如：粤〔2026〕第0002号")})
    note = Note()


class CommentBody(ActionBody):
    text = Text(required_message=_("请填写意见内容。"), label=_("意见"), style={"input": "textarea", "rows": 3})
    visibility = Choice([("shared", _("公开")), ("internal", _("内部"))], blank_means="shared",
                        message=_("可见范围应为公开或内部。"), label=_("可见范围"), style={"input": "radio"},
                        help_text=_("内部意见：部专班意见仅部专班、部联络员和管理员可见；省内部意见另含本省"))


class UrgeBody(ActionBody):
    note = Note(label=_("催办内容"))
    referral = ReferralId(help_text=_("催办的转办单 id（可选）"))


class SuperviseBody(ActionBody):
    level = SupervisionLevel(label=_("督办级别"), style={"input": "select"})
    due_date = Day(label=_("新的办理时限"), help_text=_("新的办理时限"))
    note = Note(label=_("督办意见"))
    referral = ReferralId(help_text=_("督办的转办单 id（可选）"))


class InstructBody(ActionBody):
    text = Text(required_message=_("请填写批示内容。"), label=_("批示内容"), help_text=_("批示内容"),
                style={"input": "textarea", "rows": 3})
    due_date = Day(required=False, label=_("批示办理时限"))


class ShareBody(ActionBody):
    region = Text(required_message=_("请选择协办地区。"), limit=2, label=_("协办地区"),
                  help_text=_("协办地区两位代码"), style={"input": "select"})
    note = Note(label=_("协办事项"), help_text=_("协办事项"))
    # Not before the day it is asked: the action checks it against that day (an import or the demo asks
    # in the past), the page's date input against today.
    due_date = Day(required=False, future=False, label=_("回复时限"), help_text=_("回复时限（可选，不早于今天）"),
                   style={"input": "date", "min": "today"})

    def validate_region(self, value):
        region = Region.objects.filter(code=value).first()
        if region is None:
            raise serializers.ValidationError(_("请选择协办地区。"))
        return region


class ShareReplyBody(ActionBody):
    text = Text(required_message=_("请填写协办意见。"), label=_("协办意见"), help_text=_("协办意见"),
                style={"input": "textarea", "rows": 3})


class FlagBody(ActionBody):
    note = Text(required_message=_("请说明需要部专班关注的情况。"), label=_("需要部专班关注的情况"),
                help_text=_("需要部专班关注的情况"), style={"input": "textarea", "rows": 2})


class ExtendBody(ActionBody):
    reason = Text(required_message=_("请填写延期理由。"), label=_("延期理由"), help_text=_("延期理由"),
                  style={"input": "textarea", "rows": 2})
    proposed_date = Day(label=_("申请延至"), help_text=_("申请延至的日期（晚于现在的办理时限）"))


class ExtensionGrantBody(serializers.Serializer):
    due_date = Day(required=False, label=_("批准延至"),
                   help_text=_("批准延至的日期（不早于今天）；不填则按申请的日期"))
    note = Note(label=_("审批意见"))


class ExtensionRefuseBody(serializers.Serializer):
    note = Text(required_message=_("请填写不予延期的理由。"), label=_("不予延期的理由"),
                help_text=_("不予延期的理由"), style={"input": "textarea", "rows": 2})
