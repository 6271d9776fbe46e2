"""Issue 11: no page shows UI text in the wrong language. Every GET page of the URL conf (the API aside)
is rendered, for every persona the permission matrix lets see it, in Simplified Chinese and in English:

- in zh-hans, a text a user reads (text nodes, button values, placeholders, titles, aria-labels, alt
  texts, option labels) made of English words only is a string that missed its translation;
- in en, any Chinese left in such a text is a string missing from the English catalog.

Data is not UI: what the database holds (names, titles, numbers, usernames, reference data) is taken out
of a text before it is judged, and so are brand and unit tokens (API, Excel, PDF, …).
The URLs and their objects are the permission matrix's (tests/security): one builder per route and the
expected answer of each persona, so a new page is checked here as soon as it has its matrix entry.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import polib
import pytest
from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.db import models, transaction
from django.test import Client, RequestFactory, override_settings
from django.urls import reverse

from chainwork.models import Notification
from tests.security.expected import EXPECTED
from tests.security.urls_under_test import URLS
from tests.security.world import ROLES, build_world

HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
# Not words either: a problem's number, Chinese in every language (design.md: 鄂〔2026〕第0123号), and
# the start of a password hash the admin shows masked (3bca5a*****).
NOT_WORDS = re.compile(r"\S〔\d{4}〕第\d+号|[0-9A-Za-z+/=$.]+\*{4,}")  # problem numbers; masked hashes and salts
ENGLISH_WORD = re.compile(r"[A-Za-z]{2,}")
# Not words to translate: brands, formats, units, standards, abbreviations that Chinese text uses as is.
TOKENS = {
    "API", "URL", "Excel", "Word", "PDF", "CSV", "XLSX", "xlsx", "DOCX", "docx", "csv", "pdf", "ECharts",
    "JPG", "PNG", "GIF", "WebP", "MB", "KB", "ID", "SMS", "GB", "OK", "JSON", "Token", "Django", "Bootstrap",
    "htmx", "HTML", "Email", "email", "AM", "PM",
}
# Each language is offered by its own name in the switcher (简体中文 on the English page, and English).
LANGUAGE_NAMES = [str(name) for _code, name in settings.LANGUAGES]
# The Django admin beside the project's own models: third-party app and model names not marked for
# translation (django-axes' app label, django-pghistory's app and model) and Django's own hard-coded alt
# texts (the search icon, the boolean icons).
ADMIN_THIRD_PARTY = ["Axes", "Pghistory", "Middleware events", "Search", "True", "False",
                     "md5"]  # and the tests' password hasher, named on the user's page
REFERENCE_MODELS = {"chainwork.Region", "chainwork.Category", "chainwork.Department", "chainwork.KeyField",
                    "chainwork.IndustrySection", "chainwork.Holiday"}
PROJECT_APPS = {"chainwork", "enterprises", "cases", "policies"}
# Attributes whose text a user reads (or hears).
READ_ATTRIBUTES = {"placeholder", "title", "aria-label", "alt"}
SKIP_ELEMENTS = {"script", "style", "code", "pre", "template"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
# The API answers JSON, and its docs page is the schema viewer's own bundle: not the product's pages.
NOT_PAGES = ("/api/",)


class ReadableText(HTMLParser):
    """The texts of a page a user reads, each with where it was found."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.skipping = 0
        self.texts: list[tuple[str, str]] = []
        self.lang = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "html":
            self.lang = attributes.get("lang")
        where = tag + (f"#{attributes['id']}" if attributes.get("id") else "")
        if not self.skipping:
            for name in READ_ATTRIBUTES & attributes.keys():
                self.texts.append((f"{where}[{name}]", attributes[name] or ""))
            if tag == "input" and attributes.get("type") in {"submit", "button", "reset"}:
                self.texts.append((f"{where}[value]", attributes.get("value") or ""))
        if tag in VOID:
            return
        self.stack.append(where)
        if tag in SKIP_ELEMENTS or attributes.get("translate") == "no":
            self.skipping += 1

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        # Tolerate unclosed elements (<li>, <p>): pop back to the matching tag.
        for depth in range(len(self.stack) - 1, -1, -1):
            if self.stack[depth].split("#")[0] == tag:
                closed = self.stack[depth:]
                del self.stack[depth:]
                self.skipping -= sum(1 for w in closed if w.split("#")[0] in SKIP_ELEMENTS)
                self.skipping = max(self.skipping, 0)
                return

    def handle_data(self, data):
        if not self.skipping and data.strip():
            self.texts.append((" > ".join(self.stack[-3:]), data))


def page_texts(html: str) -> tuple[str | None, list[tuple[str, str]]]:
    parser = ReadableText()
    parser.feed(html)
    parser.close()
    return parser.lang, parser.texts


def _strings(value):
    if isinstance(value, str):
        yield value
        yield from value.splitlines()
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _strings(item)
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)


def data_strings(ui_strings: set[str]) -> list[str]:
    """Every text the database holds (names, titles, notes, reference data, usernames). A value that is
    also a UI message is left out, unless it is reference data (a category named 其他): taking it out of
    a page would hide that message untranslated."""
    values: set[str] = set()
    for model in apps.get_models():
        fields = [f.attname for f in model._meta.concrete_fields
                  if (isinstance(f, models.CharField | models.TextField | models.JSONField) and not f.choices)
                  or f.get_internal_type() == "ArrayField"]
        if not fields:
            continue
        found = set()
        for row in model._default_manager.values_list(*fields):
            for value in row:
                found.update(v.strip() for v in _strings(value))
        values |= found if model._meta.label in REFERENCE_MODELS else found - ui_strings
    values.update(str(user) for user in apps.get_model("chainwork", "User").objects.all())
    return sorted(v for v in values if v and not v.isdigit())


def data_pattern(values: list[str]) -> re.Pattern:
    """One pattern for all the data, longest first (a name before a shorter one inside it); Latin data
    matches whole words only, so an industry section "A" leaves "Axes" alone."""
    def one(value: str) -> str:
        escaped = re.escape(value)
        return escaped if HAN.search(value) else rf"(?<![A-Za-z0-9]){escaped}(?![A-Za-z0-9])"

    return re.compile("|".join([NOT_WORDS.pattern] + [one(v) for v in sorted(values, key=len, reverse=True)]))


def catalog_messages() -> set[str]:
    catalog = polib.pofile(str(Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES" / "django.po"))
    return {entry.msgid for entry in catalog}


def without_data(text: str, data: re.Pattern) -> str:
    return data.sub(" ", text)


def english_leftover(text: str, data: re.Pattern) -> bool:
    """Text of a Chinese page with English words and no Chinese: a string that was not translated."""
    text = without_data(text, data)
    if HAN.search(text):
        return False
    text = re.sub(r"\S+@\S+|https?://\S+|/\S*", " ", text)  # addresses and paths
    return any(word not in TOKENS for word in ENGLISH_WORD.findall(text))


def chinese_leftover(text: str, data: re.Pattern) -> bool:
    """Text of an English page that still holds Chinese characters once the data is taken out (the
    punctuation that joins data, 、 or （）, is not judged)."""
    return bool(HAN.search(without_data(text, data)))


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """The permission matrix's world, built once inside a transaction rolled back at the end."""
    media = tmp_path_factory.mktemp("untranslated-media")
    with override_settings(MEDIA_ROOT=str(media), NOTIFY_DEFAULT_CHANNELS=[]), django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            world = build_world()
            data = data_strings(catalog_messages())
            # The fixture's notification is titled like a UI message (催办): give it a title like real ones.
            Notification.objects.filter(pk=world["notification"].pk).update(title="催办：请尽快反馈运输协调进展")
            world["data"] = data_pattern([*data, "催办：请尽快反馈运输协调进展"])
            world["admin_data"] = data_pattern([*data, *ADMIN_THIRD_PARTY])
            yield world
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def matrix_pages(world) -> list[tuple[str, str, str]]:
    """(key, role, url) for every GET route and variant of the matrix and every role that gets a 200."""
    pages = []
    for name, checks in URLS.items():
        for variant, method, build in checks:
            if method != "get" or name == "admin/":
                continue
            key = f"{name}[{variant}]"
            default, overrides = EXPECTED[key]
            url = build(world)
            if url.startswith(NOT_PAGES):
                continue
            kinds = set()  # one persona of each role: Hubei's and Guangdong's officials see the same page
            for role in ROLES:
                kind = "anonymous" if role == "anonymous" else world["users"][role].role
                if overrides.get(role, default) == 200 and kind not in kinds:
                    kinds.add(kind)
                    pages.append((key, role, url))
    return pages


def admin_pages(world) -> list[tuple[str, str, str]]:
    """The admin's index, and each registered model's list, add and first change form."""
    request = RequestFactory().get("/admin/")
    request.user = world["users"]["admin"]
    pages = [("admin:index", "admin", reverse("admin:index"))]
    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label not in PROJECT_APPS:
            continue
        info = model._meta.app_label, model._meta.model_name
        pages.append((f"admin:{info[0]}_{info[1]}_changelist", "admin",
                      reverse("admin:{}_{}_changelist".format(*info))))
        if model_admin.has_add_permission(request):
            pages.append((f"admin:{info[0]}_{info[1]}_add", "admin", reverse("admin:{}_{}_add".format(*info))))
        first = model._default_manager.order_by("pk").first()
        if first is not None:
            pages.append((f"admin:{info[0]}_{info[1]}_change", "admin",
                          reverse("admin:{}_{}_change".format(*info), args=[first.pk])))
    return pages


def rendered_pages(world, language: str):
    """(where, html) of every HTML page, fetched in `language` by a persona who may see it."""
    clients: dict[str, Client] = {}
    for key, role, url in matrix_pages(world) + admin_pages(world):
        if role not in clients:
            clients[role] = Client()
            clients[role].cookies[settings.LANGUAGE_COOKIE_NAME] = language
            if role != "anonymous":
                clients[role].force_login(world["users"][role])
        with transaction.atomic():  # a page that writes (an export log, a read mark) leaves nothing behind
            response = clients[role].get(url)
            transaction.set_rollback(True)
        assert response.status_code == 200, f"{key} as {role}: GET {url} answered {response.status_code}"
        if response["Content-Type"].startswith("text/html"):
            yield f"{key} as {role} ({url})", response.content.decode()


def leftovers(world, language: str, judge) -> tuple[int, list[str]]:
    checked, found = 0, []
    for where, html in rendered_pages(world, language):
        lang, texts = page_texts(html)
        if lang is not None:  # a full page (htmx fragments have no <html>) is in the language asked for
            assert lang == language, f"{where}: <html lang={lang!r}>, expected {language!r}"
        checked += 1
        data = world["admin_data"] if where.startswith("admin:") else world["data"]
        found += [f"{where}: {place}: {' '.join(text.split())!r}"
                  for place, text in texts if text.strip() not in LANGUAGE_NAMES and judge(text, data)]
    return checked, sorted(set(found))


@pytest.mark.django_db
def test_no_page_shows_english_ui_text_in_chinese(world):
    checked, found = leftovers(world, "zh-hans", english_leftover)
    assert checked >= 100, f"only {checked} pages rendered"
    assert not found, f"{len(found)} untranslated texts in zh-hans:\n" + "\n".join(found)


@pytest.mark.django_db
def test_no_page_shows_chinese_ui_text_in_english(world):
    checked, found = leftovers(world, "en", chinese_leftover)
    assert checked >= 100, f"only {checked} pages rendered"
    assert not found, f"{len(found)} untranslated texts in en:\n" + "\n".join(found)


def test_the_judges_tell_ui_text_from_data():
    data = data_pattern(["Rheinland Maschinenbau GmbH", "东湖光电科技集团有限公司", "A"])
    assert english_leftover("Save changes", data)
    assert not english_leftover("Rheinland Maschinenbau GmbH", data)
    assert not english_leftover("导出 Excel", data)
    assert not english_leftover("PDF · 12 MB", data)
    assert english_leftover("Access attempts", data)
    assert not english_leftover("鄂〔2026〕第0123号", data)
    assert not english_leftover("3bca5a**************************", data)
    assert chinese_leftover("Enterprise: 东湖光电科技集团有限公司 · 已上报", data)
    assert not chinese_leftover("Enterprise: 东湖光电科技集团有限公司", data)


@pytest.mark.django_db
@pytest.mark.parametrize(("language", "not_found", "forbidden"), [
    ("zh-hans", "页面不存在", "无权操作"), ("en", "Page not found", "Not permitted")])
def test_error_pages_speak_the_language_of_the_user(client_for, personas, language, not_found, forbidden):
    client = client_for(personas.hubei)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    missing = client.get("/no-such-page/")
    refused = client.get(reverse("cases-queue"))  # the ministry's queue: 403 for a province
    assert (missing.status_code, refused.status_code) == (404, 403)
    assert not_found in missing.content.decode() and forbidden in refused.content.decode()
