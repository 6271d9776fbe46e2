from pathlib import Path

import polib
from django.conf import settings

CATALOG = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES" / "django.po"


def test_every_english_message_is_translated():
    catalog = polib.pofile(str(CATALOG))
    assert [entry.msgid for entry in catalog.untranslated_entries()] == []


def test_no_english_message_is_left_fuzzy():
    catalog = polib.pofile(str(CATALOG))
    assert [entry.msgid for entry in catalog.fuzzy_entries()] == []
