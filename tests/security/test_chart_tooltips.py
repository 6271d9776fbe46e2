"""Chart tooltips break no CSP rule: ECharts' HTML tooltips carry inline `style` attributes, which the
policy (no inline style) refuses hundreds of times a visit; drawn as rich text on the canvas they carry
none (as the chain picture does)."""

import re
from pathlib import Path

import pytest

JS = Path(__file__).resolve().parents[2] / "static" / "js"
TOOLTIPS = [(path.name, match.group(0)) for path in sorted(JS.glob("*.js"))
            for match in re.finditer(r"tooltip: \{[^\n]*", path.read_text())]


def test_the_charts_have_tooltips():
    assert {name for name, _ in TOOLTIPS} >= {"reports.js", "departments.js", "enterprise_detail.js"}


@pytest.mark.parametrize(("name", "tooltip"), TOOLTIPS)
def test_every_chart_tooltip_is_drawn_without_inline_styles(name, tooltip):
    assert 'renderMode: "richText"' in tooltip
