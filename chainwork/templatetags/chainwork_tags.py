import datetime as dt

from django import template
from django.utils.translation import get_language

register = template.Library()

# Per (model field, language): each stored value's label, translated once.
_LABELS: dict[tuple, dict] = {}


@register.filter
def display(obj, field_name: str) -> str:
    """What obj.get_<field>_display() says, from the field's labels kept per language: Django's builds a
    dict of every lazy label, translating each, on every call (a tenth of a 50-row list's time)."""
    field = obj._meta.get_field(field_name)
    key = (field, get_language())
    labels = _LABELS.get(key)
    if labels is None:
        labels = _LABELS[key] = {value: str(label) for value, label in field.flatchoices}
    value = getattr(obj, field.attname)
    return labels.get(value, value)


@register.filter
def minutes(value) -> int | str:
    """A timedelta as whole minutes (rounded up), for messages such as 请在30分钟后再试."""
    if isinstance(value, dt.timedelta):
        return max(1, -(-int(value.total_seconds()) // 60))
    return ""


def widget_attrs(field, css_class: str) -> dict:
    """Bootstrap's class, marked invalid and described by the field's errors and help."""
    attrs = {"class": css_class + (" is-invalid" if field.errors else "")}
    described = []
    if field.errors:
        described.append(f"{field.id_for_label}-errors")
        attrs["aria-invalid"] = "true"
    if field.help_text:
        described.append(f"{field.id_for_label}-help")
    if described:
        attrs["aria-describedby"] = " ".join(described)
    return attrs


@register.simple_tag
def bootstrap_widget(field, css_class: str):
    """A bound field's widget, rendered by Django's widget templates with widget_attrs()."""
    return field.as_widget(attrs=widget_attrs(field, css_class))


@register.filter
def is_multi_checkbox(field) -> bool:
    from django.forms import CheckboxSelectMultiple

    return isinstance(field.field.widget, CheckboxSelectMultiple)


@register.filter
def percent(value) -> str:
    """0.8523 → 85.2%; empty when unknown."""
    if value is None or value == "":
        return "—"
    return f"{float(value) * 100:.1f}%"


@register.filter
def active_filters(form) -> int:
    """How many of a filter form's fields the request set (the sort order aside): the count on the button
    a phone folds the filters behind, so a filtered list never looks like the whole one."""
    if not getattr(form, "is_bound", False):
        return 0
    data = form.data
    return sum(1 for name in form.fields
               if name != "ordering" and any(data.getlist(name) if hasattr(data, "getlist") else [data.get(name)]))
