"""active_filters: how many fields of a list's filter form the request set, shown on the button a phone
folds the filters behind; the sort order is not a filter."""

from django import forms
from django.http import QueryDict

from chainwork.templatetags.chainwork_tags import active_filters


class ListFilterForm(forms.Form):
    q = forms.CharField(required=False)
    state = forms.MultipleChoiceField(choices=[("new", "待研判"), ("local", "属地办理中")], required=False)
    urgency = forms.ChoiceField(choices=[("", "全部"), ("urgent", "紧急")], required=False)
    ordering = forms.ChoiceField(choices=[("", "默认"), ("due_at", "办理时限")], required=False)


def test_an_unbound_form_counts_nothing():
    assert active_filters(ListFilterForm()) == 0


def test_no_form_counts_nothing():
    assert active_filters("") == 0


def test_each_field_set_counts_once_whatever_its_values():
    form = ListFilterForm(QueryDict("q=芯片&state=new&state=local&urgency="))
    assert active_filters(form) == 2


def test_the_sort_order_is_not_a_filter():
    assert active_filters(ListFilterForm(QueryDict("ordering=due_at"))) == 0
