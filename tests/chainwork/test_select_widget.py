"""bootstrap_widget renders selects, inputs and text areas in Python (chainwork_tags._select, _input,
_textarea): byte for byte what Django's own BoundField.as_widget renders from its widget templates, given
the same attributes."""

import pytest
from django import forms
from django.utils.safestring import SafeString

from chainwork.models import Region
from chainwork.templatetags.chainwork_tags import bootstrap_widget, widget_attrs

CLASS = "form-select"


def django_renders(bound, **extra) -> str:
    """Django's rendering with the attributes bootstrap_widget gives a field without errors or help."""
    return bound.as_widget(attrs={"class": CLASS, **extra})


class ChoiceForm(forms.Form):
    urgency = forms.ChoiceField(choices=[("", "全部"), ("critical", "特急"), ("urgent", "紧急"), ("normal", "一般")],
                                required=False)


class RegionForm(forms.Form):
    region = forms.ModelChoiceField(queryset=Region.objects.filter(code__in=["42", "44"]).order_by("code"),
                                    to_field_name="code", empty_label="全部地区")


class StatesForm(forms.Form):
    state = forms.MultipleChoiceField(choices=[("new", "待研判"), ("local", "属地办理中"), ("closed", "已办结")])


class GroupedForm(forms.Form):
    product = forms.ChoiceField(choices=[
        ("", "请选择"),
        ("芯片", [("optical", "光芯片"), ("power", "功率芯片")]),
        ("材料", [("steel", "特种钢")]),
        ("other", "其他"),
    ])


class EscapedForm(forms.Form):
    name = forms.ChoiceField(choices=[("a&b", 'x<y>&"z"'), ('"q"', "<script>alert(1)</script>")])


class OpenForm(forms.Form):
    open = forms.NullBooleanField(label="未办结", widget=forms.NullBooleanSelect)


class TextForm(forms.Form):
    q = forms.CharField(help_text="编号、标题或企业名称")


def test_a_choice_field_renders_as_django_does():
    bound = ChoiceForm({"urgency": "urgent"})["urgency"]
    assert bootstrap_widget(bound, CLASS) == django_renders(bound)


def test_an_unbound_choice_field_renders_as_django_does():
    bound = ChoiceForm()["urgency"]
    assert bootstrap_widget(bound, CLASS) == django_renders(bound)


def test_the_rendering_is_safe_markup():
    assert isinstance(bootstrap_widget(ChoiceForm()["urgency"], CLASS), SafeString)


@pytest.mark.django_db
def test_a_model_choice_field_renders_as_django_does(reference_data):
    bound = RegionForm({"region": "44"})["region"]
    assert bootstrap_widget(bound, CLASS) == django_renders(bound)


def test_a_multiple_choice_field_with_two_values_renders_as_django_does():
    bound = StatesForm({"state": ["new", "closed"]})["state"]
    html = bootstrap_widget(bound, CLASS)
    assert html == django_renders(bound) and html.count(" selected") == 2


def test_choice_groups_render_as_django_does():
    bound = GroupedForm({"product": "power"})["product"]
    html = bootstrap_widget(bound, CLASS)
    assert html == django_renders(bound) and '<optgroup label="芯片">' in html


def test_a_field_with_errors_renders_as_django_does():
    form = ChoiceForm({"urgency": "bogus"})
    assert not form.is_valid()
    bound = form["urgency"]
    expected = bound.as_widget(attrs={"class": f"{CLASS} is-invalid", "aria-invalid": "true",
                                      "aria-describedby": "id_urgency-errors"})
    assert bootstrap_widget(bound, CLASS) == expected


def test_values_and_labels_are_escaped_as_django_does():
    bound = EscapedForm({"name": "a&b"})["name"]
    html = bootstrap_widget(bound, CLASS)
    assert html == django_renders(bound) and "<script>" not in html


def test_a_null_boolean_select_renders_as_django_does():
    bound = OpenForm({"open": "true"})["open"]
    assert bootstrap_widget(bound, CLASS) == django_renders(bound)


def test_a_text_input_still_goes_through_as_widget():
    bound = TextForm({"q": "光芯片"})["q"]
    assert bootstrap_widget(bound, "form-control") == bound.as_widget(
        attrs={"class": "form-control", "aria-describedby": "id_q-help"})


# --- inputs and text areas (chainwork_tags._input, _textarea) ------------------------------------------------


class InputsForm(forms.Form):
    text = forms.CharField(max_length=10, help_text="说明")
    number = forms.IntegerField(min_value=1)
    day = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}))
    email = forms.EmailField(required=False)
    hidden = forms.CharField(widget=forms.HiddenInput)
    amount = forms.DecimalField(localize=True, required=False)
    secret = forms.CharField(widget=forms.PasswordInput)


def attributes_for(bound) -> dict:
    """The attributes bootstrap_widget gives the field (its class, errors and help), for Django to render."""
    return widget_attrs(bound, "form-control")


@pytest.mark.parametrize("name", list(InputsForm.base_fields))
def test_an_empty_input_renders_as_django_does(name):
    bound = InputsForm(initial={"day": "2026-03-04"})[name]
    assert bootstrap_widget(bound, "form-control") == bound.as_widget(attrs=attributes_for(bound))


@pytest.mark.parametrize("name", list(InputsForm.base_fields))
def test_a_submitted_input_with_markup_and_errors_renders_as_django_does(name):
    form = InputsForm({"text": '<x>&"y"', "number": "0", "day": "2026-01-02", "note": "第一行\n<b>粗</b>",
                       "email": "not-an-address", "hidden": "z", "amount": "1.5", "secret": "pw"})
    form.is_valid()
    bound = form[name]
    assert bootstrap_widget(bound, "form-control") == bound.as_widget(attrs=attributes_for(bound))
