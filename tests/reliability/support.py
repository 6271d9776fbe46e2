"""Helpers of the bad-input and race tests: nasty text, checks of pages and exports, threads in step."""

from __future__ import annotations

import csv
import io
import re
import threading

from django.db import close_old_connections, connection
from hypothesis import strategies as st
from openpyxl import load_workbook

# A tag no template writes: if it reaches a page unescaped, some text field was rendered raw.
MARKER = b"<cw-xss"
NASTY = [
    "<cw-xss>", '"><cw-xss onmouseover=alert(1)>', "</textarea><cw-xss>", "<script>alert('cw-xss')</script>",
    "=cmd|' /C calc'!A0", "=HYPERLINK(\"http://evil.example\",\"点击\")", "+1+1", "-2+3", "@SUM(A1:A2)",
    "\t=1+1", "\r=1+1", "\x01=1+1", "\x00", "\x00零字节", "控制\x01\x1b字符", "a" * 5000, "𠮷" * 300,
    "\u202e反转文本", "   ", "'; DROP TABLE enterprises_enterprise;--", "{{ 7|add:7 }}", "{% debug %}", "%(name)s",
    "\ud7ff\ue000\ufffd", "湖北省武汉市", "9" * 40,
]
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def texts(max_size: int = 300):
    """Any text, the nasty cases above, and the nasty cases behind some text."""
    return st.one_of(
        st.text(max_size=max_size),
        st.sampled_from(NASTY),
        st.tuples(st.text(max_size=20), st.sampled_from(NASTY)).map("".join),
    )


CJK = re.compile(r"[\u4e00-\u9fff]")
_ERRORS = re.compile(
    r'class="(?:invalid-feedback[^"]*|alert alert-danger[^"]*)"[^>]*>(.*?)</(?:div|button)', re.S)


def error_messages(response) -> list[str]:
    """The messages of a refused form: beside the fields and in the page's alerts."""
    html = response.content.decode()
    return [re.sub(r"<[^>]+>", "", text).strip() for text in _ERRORS.findall(html)
            if re.sub(r"<[^>]+>", "", text).strip()]


def assert_page_is_sane(response) -> None:
    """Never a server error, never a text field rendered raw."""
    assert response.status_code < 500, response.status_code
    assert MARKER not in response.content


def assert_refused_in_chinese(response) -> None:
    """A refused form comes back with at least one message, and every message speaks Chinese."""
    assert response.status_code in (200, 400, 409), response.status_code
    found = error_messages(response)
    assert found, "a refused form must say why"
    for message in found:
        assert CJK.search(message), message


def csv_cells(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def xlsx_cells(content: bytes) -> list[list]:
    sheet = load_workbook(io.BytesIO(content)).worksheets[0]
    for row in sheet.iter_rows():
        for cell in row:
            assert cell.data_type != "f", f"{cell.coordinate} is a formula: {cell.value!r}"
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


def assert_no_formula(rows: list[list]) -> None:
    """No text cell starts the way a spreadsheet would run it."""
    for row in rows:
        for value in row:
            if isinstance(value, str):
                assert not value.startswith(FORMULA_STARTS), repr(value)


def run_together(*calls, timeout: float = 60):
    """Run the calls in threads released together by a barrier, each on its own database connection.

    Returns ("ok", result) or ("error", exception) for each call, in order.
    """
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def worker(index, call):
        close_old_connections()
        try:
            barrier.wait()
            results[index] = ("ok", call())
        except Exception as error:  # the loser's exception is what the test looks at
            results[index] = ("error", error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout)
    assert not any(thread.is_alive() for thread in threads), "a racing call hung"
    return results
