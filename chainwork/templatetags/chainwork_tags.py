import datetime as dt

from django import template
from django.forms import Select, Textarea
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

register = template.Library()


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
    """Render a bound field's widget with widget_attrs()."""
    attrs = widget_attrs(field, css_class)
    widget = field.field.widget
    if widget.template_name == Select.template_name and widget.option_template_name == Select.option_template_name:
        return _select(field, widget, attrs)
    if widget.template_name in INPUT_TEMPLATES:
        return _input(field, widget, attrs)
    if widget.template_name == Textarea.template_name:
        return _textarea(field, widget, attrs)
    return field.as_widget(attrs=attrs)


# Django's templates for these inputs only include widgets/input.html.
INPUT_TEMPLATES = frozenset(f"django/forms/widgets/{name}.html" for name in (
    "input", "text", "number", "email", "url", "password", "date", "datetime", "time", "search", "tel", "hidden"))


def _attrs(attrs: dict) -> str:
    """Django's widgets/attrs.html in Python."""
    return format_html_join("", " {}{}", (
        (name, "" if value is True else format_html('="{}"', value))
        for name, value in attrs.items() if value is not False
    ))


def _context(field, widget, attrs: dict) -> dict:
    """The widget's template context, with the attributes BoundField.as_widget would give it."""
    if field.field.localize:
        widget.is_localized = True
    attrs = field.build_widget_attrs(attrs, widget)
    if field.auto_id and "id" not in widget.attrs:
        attrs.setdefault("id", field.auto_id)
    return widget.get_context(field.html_name, field.value(), attrs)["widget"]


# The widgets a form bar or an action form shows most, built without the template engine: a filter bar
# renders five selects on every list page and a problem's page a dozen inputs, and Django's templates for
# them cost more than the rest of the form (bench/profile_pages.py). Same context (widget.get_context),
# same escaping, the same markup to the byte (tests/chainwork/test_select_widget.py).


def _input(field, widget, attrs: dict) -> str:
    """Django's widgets/input.html."""
    context = _context(field, widget, attrs)
    value = context["value"]
    return format_html('<input type="{}" name="{}"{}{}>', context["type"], context["name"],
                       format_html(' value="{}"', str(value)) if value is not None else "", _attrs(context["attrs"]))


def _textarea(field, widget, attrs: dict) -> str:
    """Django's widgets/textarea.html."""
    context = _context(field, widget, attrs)
    return format_html('<textarea name="{}"{}>\n{}</textarea>', context["name"], _attrs(context["attrs"]),
                       context["value"] or "")


def _select(field, widget, attrs: dict) -> str:
    """Django's widgets/select.html and select_option.html."""
    context = _context(field, widget, attrs)
    parts = [format_html('<select name="{}"{}>', context["name"], _attrs(context["attrs"]))]
    for group_name, options, _index in context["optgroups"]:
        if group_name:
            parts.append(format_html('\n  <optgroup label="{}">', group_name))
        for option in options:
            parts.append(format_html('\n  <option value="{}"{}>{}</option>\n', str(option["value"]),
                                     _attrs(option["attrs"]), option["label"]))
        if group_name:
            parts.append(mark_safe("\n  </optgroup>"))
    parts.append(mark_safe("\n</select>"))
    return mark_safe("".join(parts))  # noqa: S308 (every part was escaped by format_html)


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
