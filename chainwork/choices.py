"""What an empty choice says, everywhere: 请选择 in a form, 全部 in a filter — never Django's
"---------", and a yes/no filter offers 全部/是/否 rather than starting at 未知.

Forms: every select is drawn by FormRenderer (settings.FORM_RENDERER), which gives Django's blank
choice the label 请选择 — model forms, hand-built choices, the admin alike. It reads the project's
templates (TemplatesSetting), so templates/django/forms/ overrides Django's widgets. Filters: django-filter's
FILTERS_EMPTY_CHOICE_LABEL is 全部 (settings), and FilterSet below gives yes/no filters and orderings
their first choice.
"""

from __future__ import annotations

import django_filters
from django.db.models.fields import BLANK_CHOICE_DASH
from django.forms import NullBooleanSelect
from django.forms.renderers import TemplatesSetting
from django.utils.translation import gettext_lazy as _

DASH = BLANK_CHOICE_DASH[0][1]
PLEASE_CHOOSE = _("请选择")
ALL = _("全部")
DEFAULT_ORDER = _("默认排序")


class FormRenderer(TemplatesSetting):
    def render(self, template_name, context, request=None):
        widget = context.get("widget") if isinstance(context, dict) else None
        if isinstance(widget, dict) and "optgroups" in widget:
            for _group, options, _index in widget["optgroups"]:
                for option in options:
                    if option.get("label") == DASH:
                        option["label"] = str(PLEASE_CHOOSE)
        return super().render(template_name, context, request)


class AllYesNoSelect(NullBooleanSelect):
    """A yes/no filter: 全部 (no filter), 是, 否."""

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.choices = (("unknown", ALL), ("true", _("是")), ("false", _("否")))


class FilterSet(django_filters.FilterSet):
    """The project's FilterSet: its yes/no filters start at 全部 and its ordering at 默认排序."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for declared in self.filters.values():
            if isinstance(declared, django_filters.BooleanFilter):
                declared.extra.setdefault("widget", AllYesNoSelect)
            elif isinstance(declared, django_filters.OrderingFilter):
                declared.extra.setdefault("empty_label", DEFAULT_ORDER)
