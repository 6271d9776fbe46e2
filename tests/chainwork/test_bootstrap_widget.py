"""bootstrap_widget: a field's widget as Django's own widget templates render it, with Bootstrap's class
and, when the field has errors or help, marked invalid and described by them."""

from django import forms

from chainwork.templatetags.chainwork_tags import bootstrap_widget


class ChoiceForm(forms.Form):
    urgency = forms.ChoiceField(choices=[("", "全部"), ("critical", "特急"), ("urgent", "紧急")], required=False)


class TextForm(forms.Form):
    q = forms.CharField(help_text="编号、标题或企业名称")
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}))


class EscapedForm(forms.Form):
    name = forms.ChoiceField(choices=[("a&b", 'x<y>&"z"')])


def test_a_select_has_the_class_and_its_value_selected():
    html = bootstrap_widget(ChoiceForm({"urgency": "urgent"})["urgency"], "form-select")
    assert 'class="form-select"' in html and '<option value="urgent" selected>紧急</option>' in html


def test_a_field_with_errors_is_invalid_and_described_by_them():
    form = ChoiceForm({"urgency": "bogus"})
    form.is_valid()
    html = bootstrap_widget(form["urgency"], "form-select")
    assert ('class="form-select is-invalid"' in html and 'aria-invalid="true"' in html
            and 'aria-describedby="id_urgency-errors"' in html)


def test_a_field_with_help_is_described_by_it():
    html = bootstrap_widget(TextForm()["q"], "form-control")
    assert 'aria-describedby="id_q-help"' in html and 'id="id_q"' in html and "required" in html


def test_a_text_area_keeps_its_value_escaped():
    html = bootstrap_widget(TextForm({"note": "<b>粗</b>"})["note"], "form-control")
    assert html.startswith("<textarea") and "&lt;b&gt;粗&lt;/b&gt;" in html


def test_choice_labels_and_values_are_escaped():
    html = bootstrap_widget(EscapedForm({"name": "a&b"})["name"], "form-select")
    assert 'value="a&amp;b"' in html and "x&lt;y&gt;&amp;&quot;z&quot;" in html
