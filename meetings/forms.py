"""The 会商 forms: their shape only; meetings.services checks the rules."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from chainwork.models import Department, Region
from meetings.models import Consultation, Kind, PartyKind


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").replace("、", "\n").splitlines() if line.strip()]


class ConsultationForm(forms.Form):
    kind = forms.ChoiceField(label=_("会商形式"), choices=Kind.choices, initial=Kind.DISPATCH)
    title = forms.CharField(label=_("会议名称"), max_length=100, required=False,
                            help_text=_("不填时按召集方和会商形式生成，如“部专班调度会”"))
    starts_at = forms.DateTimeField(label=_("会商时间"), widget=forms.DateTimeInput(
        attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"))
    place = forms.CharField(label=_("地点或方式"), max_length=100, required=False,
                            help_text=_("会议室、视频会议号或微信群名称"))
    chair = forms.CharField(label=_("主持人"), max_length=64)
    departments = forms.ModelMultipleChoiceField(
        label=_("参会部门和部内司局"), queryset=Department.objects.filter(is_active=True), required=False,
        to_field_name="slug", widget=forms.SelectMultiple(attrs={"size": 8}))
    regions = forms.ModelMultipleChoiceField(label=_("参会省份"), queryset=Region.objects.all(), required=False,
                                             widget=forms.SelectMultiple(attrs={"size": 8}))
    associations = forms.CharField(label=_("参会行业协会"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
                                   help_text=_("每行一个名称"))
    enterprises = forms.CharField(label=_("参会企业"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
                                  help_text=_("每行一个名称"))

    def data_for_service(self) -> dict:
        data = self.cleaned_data
        participants = [{"kind": PartyKind.MINISTRY}] if not self.initial.get("provincial") else []
        participants += [{"kind": PartyKind.DEPARTMENT, "department": d.slug} for d in data["departments"]]
        participants += [{"kind": PartyKind.REGION, "region": r.code} for r in data["regions"]]
        participants += [{"kind": PartyKind.ASSOCIATION, "name": n} for n in _lines(data["associations"])]
        participants += [{"kind": PartyKind.ENTERPRISE, "name": n} for n in _lines(data["enterprises"])]
        return {"kind": data["kind"], "title": data["title"], "starts_at": data["starts_at"], "place": data["place"],
                "chair": data["chair"], "participants": participants}


class ConsultationEditForm(ConsultationForm):
    state = forms.ChoiceField(label=_("状态"), choices=Consultation.State.choices)
    minutes = forms.CharField(label=_("会议纪要（总体）"), required=False, widget=forms.Textarea(attrs={"rows": 6}))

    def data_for_service(self) -> dict:
        data = super().data_for_service()
        participants = [p for p in data["participants"] if p["kind"] != PartyKind.MINISTRY]
        if self.initial.get("ministry_participates"):
            participants.insert(0, {"kind": PartyKind.MINISTRY})
        return {**data, "participants": participants, "state": self.cleaned_data["state"],
                "minutes": self.cleaned_data["minutes"]}

    @classmethod
    def initial_for(cls, consultation: Consultation) -> dict:
        parties = list(consultation.participants.select_related("department"))
        return {
            "kind": consultation.kind, "title": consultation.title, "starts_at": consultation.starts_at,
            "place": consultation.place, "chair": consultation.chair, "state": consultation.state,
            "minutes": consultation.minutes,
            "departments": [p.department for p in parties if p.kind == PartyKind.DEPARTMENT and p.department_id],
            "regions": [p.region_id for p in parties if p.kind == PartyKind.REGION and p.region_id],
            "associations": "\n".join(p.name for p in parties if p.kind == PartyKind.ASSOCIATION),
            "enterprises": "\n".join(p.name for p in parties if p.kind == PartyKind.ENTERPRISE),
            "ministry_participates": any(p.kind == PartyKind.MINISTRY for p in parties),
        }


def owner_choices() -> list[dict]:
    """部专班, the departments and the provinces for one select (value kind:key), as option groups."""
    return [
        {"group": "", "options": [("ministry:", PartyKind.MINISTRY.label)]},
        {"group": _("部门和部内司局"),
         "options": [(f"department:{d.slug}", d.name) for d in Department.objects.filter(is_active=True)]},
        {"group": _("省份"), "options": [(f"region:{r.code}", r.name) for r in Region.objects.all()]},
        {"group": _("其他"), "options": [("association:", _("行业协会（填写名称）")),
                                        ("other:", _("其他单位（填写名称）"))]},
    ]


def owner_spec(value: str, name: str) -> dict:
    kind, _sep, key = (value or "").partition(":")
    spec = {"kind": kind}
    if kind == PartyKind.DEPARTMENT:
        spec["department"] = key
    elif kind == PartyKind.REGION:
        spec["region"] = key
    else:
        spec["name"] = name
    return spec
