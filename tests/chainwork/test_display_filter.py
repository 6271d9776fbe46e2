"""The `display` filter: what get_<field>_display says, in the active language, from labels kept per field
and language."""

from django.utils import translation

from chainwork.templatetags.chainwork_tags import display
from policies.models import FinancingNeed


def test_a_stored_value_reads_as_its_label():
    with translation.override("zh-hans"):
        need = FinancingNeed(purpose="payroll")
        assert display(need, "purpose") == need.get_purpose_display()


def test_the_label_follows_the_language():
    need = FinancingNeed(urgency="critical")
    with translation.override("zh-hans"):
        chinese = display(need, "urgency")
    with translation.override("en"):
        english, django_says = display(need, "urgency"), need.get_urgency_display()
    assert (chinese, english) == ("特急", django_says)


def test_a_value_without_a_label_shows_as_stored():
    assert display(FinancingNeed(purpose="unknown"), "purpose") == "unknown"
