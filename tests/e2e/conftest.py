"""Browser tests: Playwright (Python) on Debian's chromium, never a downloaded browser.

Where /usr/bin/chromium is missing the tests skip with one loud line, except under CI, where they fail.

Every browser context a test opens is watched (`browser_log`): a request to any host but the live
server's, a console error (a CSP violation is one) or an uncaught page error fails the test at teardown.
"""

import os
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--disable-quic"]
ROOT = Path(__file__).resolve().parents[2]
RESULTS = ROOT / "test-results"
# axe-core from node_modules (package.json devDependencies, `npm ci`): evaluated in the page through
# the DevTools protocol, so it needs neither a <script> the CSP would refuse nor a copy in static/.
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
AXE_RULES = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]},
             "resultTypes": ["violations"]}
# The watermark (base.html) is faint on purpose and hidden from assistive technology: decoration, which
# WCAG 1.4.3 exempts from contrast.
AXE_CONTEXT = {"exclude": [".cw-watermark"]}
# Schemes that never leave the browser: inline images, object URLs, the empty page a context starts on.
LOCAL_SCHEMES = {"data", "blob", "about"}
PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 3, "is_mobile": True, "has_touch": True}

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


@dataclass
class BrowserLog:
    """What the watched contexts asked for and complained about."""

    server: str  # host:port of the live server
    requests: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    expected_statuses: set[int] = field(default_factory=set)

    def watch(self, context) -> None:
        context.on("request", lambda request: self.requests.append(request.url))
        context.on("console", self._console)
        context.on("weberror", lambda error: self.page_errors.append(str(error.error)))

    def expect_status(self, status: int) -> None:
        """A test that opens a page answering `status` on purpose (a 404 outside the scope): the browser's
        "Failed to load resource … status of 404" line is then no complaint."""
        self.expected_statuses.add(status)

    def _console(self, message) -> None:
        if message.type != "error":
            return
        text = message.text
        if any(f"the server responded with a status of {status}" in text for status in self.expected_statuses):
            return
        location = message.location or {}
        self.console_errors.append(f"{text} ({location.get('url', '')}:{location.get('lineNumber', '')})")

    def outside_requests(self) -> list[str]:
        return sorted({url for url in self.requests
                       if urlsplit(url).scheme not in LOCAL_SCHEMES and urlsplit(url).netloc != self.server})

    def complaints(self) -> list[str]:
        return ([f"request to another host: {url}" for url in self.outside_requests()]
                + [f"console error: {text}" for text in self.console_errors]
                + [f"page error: {text}" for text in self.page_errors])


@pytest.fixture(autouse=True)
def browser_log(request):
    """Set up before and torn down after every context of the test, so it sees all they did."""
    log = BrowserLog(server=urlsplit(request.getfixturevalue("live_server").url).netloc)
    yield log
    complaints = log.complaints()
    if complaints:
        pytest.fail("the browser went outside the live server or complained:\n  " + "\n  ".join(complaints),
                    pytrace=False)


@pytest.fixture
def new_page(browser, browser_log, request):
    """Open a watched page in a context of its own; closed (after a screenshot if the test failed) at
    the end of the test."""
    contexts = []

    def open_page(**options):
        # Reduced motion: Bootstrap then drops its transitions, so axe never measures a button's colours
        # half-way through one (a contrast failure seen once on /cases/referrals/ right after a click).
        options = {"locale": "zh-CN", "viewport": {"width": 1280, "height": 900}, "reduced_motion": "reduce",
                   **options}
        context = browser.new_context(**options)
        browser_log.watch(context)
        contexts.append(context)
        page = context.new_page()
        # Generous: under CI the suite runs in two processes beside the browser.
        page.set_default_timeout(30_000)
        page.set_default_navigation_timeout(30_000)
        return page

    yield open_page
    for number, context in enumerate(contexts):
        if request.node.stash.get("failed", False):
            RESULTS.mkdir(exist_ok=True)
            for page in context.pages:
                page.screenshot(path=str(RESULTS / f"{request.node.name}-{number}.png"), full_page=True)
        context.close()


@pytest.fixture
def page(new_page):
    return new_page()


@pytest.fixture
def phone_page(new_page):
    """A phone-sized page: 390 x 844 CSS pixels, touch, the mobile viewport meta honoured."""
    return new_page(**PHONE)


def log_in(page, live_server, username, password):
    page.goto(f"{live_server.url}/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_load_state()
    return page


@pytest.fixture
def login(page, live_server):
    def as_user(username, password):
        return log_in(page, live_server, username, password)

    return as_user


def accessibility_violations(page, impacts=("serious", "critical")) -> list[str]:
    """axe-core's serious and critical violations of the page as it stands, one line each."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE.read_text())
    violations = page.evaluate("([context, options]) => axe.run(context, options).then(r => r.violations)",
                               [AXE_CONTEXT, AXE_RULES])
    return [f"{v['id']} ({v['impact']}): {v['help']} — "
            + "; ".join(" ".join(node["target"]) for node in v["nodes"][:5])
            for v in violations if v["impact"] in impacts]


def assert_accessible(page) -> None:
    page.wait_for_load_state()
    found = accessibility_violations(page)
    assert not found, f"{page.url}:\n  " + "\n  ".join(found)
