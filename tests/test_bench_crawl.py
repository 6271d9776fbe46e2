"""The bench's crawl (bench/crawl.py): which links it follows and how it bounds itself, on made-up pages
against the project's real URLs; no database, no bench data."""

from bench.crawl import Fetched, classify, extract_links, is_write, judge, percentile, walk


def page(*hrefs: str) -> str:
    return "<nav>" + "".join(f'<a href="{href}">x</a>' for href in hrefs) + "</nav>"


def site(pages: dict[str, str], redirects: dict[str, str] | None = None):
    """A fetch over a dict of HTML pages; the fetched URLs in order go to `.seen`."""
    redirects = redirects or {}

    def fetch(url: str) -> Fetched:
        fetch.seen.append(url)
        if url in redirects:
            return Fetched({"status": 302}, location=redirects[url])
        return Fetched({"status": 200}, html=pages.get(url, ""))

    fetch.seen = []
    return fetch


def test_links_are_same_site_paths_without_fragment():
    html = page("/cases/?open=true#rows", "https://example.com/x", "mailto:a@b.cn", "#main",
                "http://testserver/enterprises/", "../policies/")
    assert extract_links(html, "/cases/1/")[0] == ["/cases/?open=true", "/enterprises/", "/cases/policies/"]


def test_a_query_only_link_keeps_the_page_path():
    assert extract_links(page("?page=2"), "/cases/?state=new")[0] == ["/cases/?page=2"]


def test_a_link_with_the_download_attribute_is_a_download():
    links, downloads = extract_links('<a href="/cases/" download>x</a>', "/")
    assert (links, downloads) == ([], ["/cases/"])


def test_logout_admin_and_static_are_never_followed():
    assert {classify(url).kind for url in ("/accounts/logout/", "/admin/", "/static/css/app.css")} == {"skipped"}


def test_exports_are_downloads():
    kinds = {classify(url).kind for url in ("/cases/export/?format=xlsx", "/enterprises/?format=csv",
                                            "/enterprises/42/chain/export/")}
    assert kinds == {"download"}


def test_a_page_resolves_to_its_name_and_sorted_query_keys():
    assert classify("/cases/?state=new&open=true&state=local").pattern == ("cases-list", ("open", "state"))


def test_a_link_nothing_resolves_is_still_fetched():
    target = classify("/nowhere/")
    assert (target.kind, target.url_name) == ("page", "unresolved /nowhere/")


def test_at_most_two_urls_per_pattern_are_fetched():
    fetch = site({"/": page("/cases/1/", "/cases/2/", "/cases/3/", "/cases/?a=1&b=2", "/cases/?b=3&a=4",
                            "/cases/?a=5&b=6", "/cases/?a=7")})
    walked = walk(fetch, starts=("/",))
    assert fetch.seen == ["/", "/cases/1/", "/cases/2/", "/cases/?a=1&b=2", "/cases/?b=3&a=4", "/cases/?a=7"]
    assert walked.deduplicated == {"cases-detail": 1, "cases-list": 1}


def test_pages_two_clicks_away_are_fetched_but_not_followed():
    fetch = site({"/": page("/cases/"), "/cases/": page("/cases/1/"), "/cases/1/": page("/policies/")})
    walk(fetch, starts=("/",))
    assert fetch.seen == ["/", "/cases/", "/cases/1/"]


def test_a_redirect_is_followed_as_the_same_click():
    fetch = site({"/cases/": page("/cases/1/")}, redirects={"/": "/cases/"})
    walked = walk(fetch, starts=("/",), depth=1)
    assert [p["url"] for p in walked.pages] == ["/", "/cases/", "/cases/1/"]


def test_downloads_are_listed_not_fetched():
    fetch = site({"/": page("/cases/export/?format=xlsx", "/accounts/logout/")})
    walked = walk(fetch, starts=("/",))
    assert (fetch.seen, list(walked.downloads), dict(walked.skipped)) == (["/"], ["cases-export"], {"logout": 1})


def test_p95_of_five_warm_requests_is_the_slowest():
    assert percentile([10, 50, 20, 40, 30], 0.95) == 50


def test_a_page_over_one_second_once_misses_though_its_p95_is_met():
    record = {"status": 200, "p95_ms": 250.0, "max_ms": 1200.0}
    judge(record)
    assert record["ok"] is False


def test_a_forbidden_page_reached_by_a_link_misses():
    record = {"status": 403}
    judge(record)
    assert record["ok"] is False


def test_a_session_save_is_no_write_but_an_update_of_a_row_is():
    statements = ('UPDATE "django_session" SET "expire_date" = 1', 'UPDATE "chainwork_notification" SET "read_at" = 1',
                  'SELECT 1')
    assert [is_write(sql) for sql in statements] == [False, True, False]


def test_a_failing_home_still_leaves_the_main_menu_crawled():
    def fetch(url):
        if url == "/":
            return Fetched({"status": 503})
        return Fetched({"status": 200}, html=page("/cases/") if url == "/accounts/password/" else "")

    assert [p["url"] for p in walk(fetch).pages] == ["/", "/accounts/password/", "/cases/"]
