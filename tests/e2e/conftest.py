"""Browser tests: Playwright (Python) on Debian's chromium, never a downloaded browser.

Where /usr/bin/chromium is missing the tests skip with one loud line, except under CI, where they fail.
"""

import os
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--disable-quic"]
RESULTS = Path(__file__).resolve().parents[2] / "test-results"

# pytest-django's live_server runs in a thread beside Playwright's event loop (stack.md pitfall 1).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        message = f"!!! {CHROMIUM} is missing: browser tests cannot run (apt-get install chromium) !!!"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield browser
        browser.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call":
        item.stash.setdefault("failed", report.failed)
    return report


@pytest.fixture
def page(browser, request):
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    # Generous: under CI the suite runs in two processes beside the browser.
    page.set_default_timeout(30_000)
    page.set_default_navigation_timeout(30_000)
    yield page
    if request.node.stash.get("failed", False):
        RESULTS.mkdir(exist_ok=True)
        page.screenshot(path=str(RESULTS / f"{request.node.name}.png"), full_page=True)
    context.close()


@pytest.fixture
def login(page, live_server):
    def as_user(username, password):
        page.goto(f"{live_server.url}/")
        page.fill("#id_username", username)
        page.fill("#id_password", password)
        page.click("button[type=submit]")
        page.wait_for_load_state()
        return page

    return as_user
