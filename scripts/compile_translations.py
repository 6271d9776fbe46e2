"""Compile locale/*/LC_MESSAGES/*.po to .mo with polib: no GNU gettext, no Django settings (and so
no database) needed at build time."""

from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent

for po_path in sorted((ROOT / "locale").glob("*/LC_MESSAGES/*.po")):
    catalog = polib.pofile(str(po_path))
    catalog.save_as_mofile(str(po_path.with_suffix(".mo")))
    print(f"compiled {po_path.relative_to(ROOT)} ({catalog.percent_translated()}% translated)")
