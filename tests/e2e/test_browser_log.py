"""The browser log every journey runs under (conftest.browser_log) sees what it must fail on: a request
to another host, and a console error such as a CSP violation."""

import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_request_to_another_host_is_recorded(page, live_server, browser_log):
    page.route("http://cdn.example.invalid/**", lambda route: route.fulfill(status=204, body=""))
    page.set_content('<img src="http://cdn.example.invalid/logo.png" alt="">')
    page.wait_for_load_state("networkidle")
    found = browser_log.outside_requests()
    browser_log.requests.clear()  # seen: this test's teardown stays quiet
    assert found == ["http://cdn.example.invalid/logo.png"]


def test_an_inline_script_refused_by_the_csp_is_a_console_error(page, live_server, browser_log):
    page.goto(f"{live_server.url}/accounts/login/")
    page.evaluate("""() => { const s = document.createElement('script'); s.textContent = 'window.inline = 1';
                             document.head.appendChild(s); }""")
    page.wait_for_timeout(200)
    found = list(browser_log.console_errors)
    browser_log.console_errors.clear()
    assert any("Content Security Policy" in text for text in found), found
