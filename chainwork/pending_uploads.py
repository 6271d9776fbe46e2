"""Uploads waiting between an import's dry run and its confirmation (the enterprise list and the
问题清单 imports): named by a uuid the session holds, claimed once by a rename."""

from __future__ import annotations

import uuid
from pathlib import Path


def pending_path(directory: Path, pending, extensions) -> Path | None:
    """The waiting upload named by the session, rebuilt from a checked uuid and extension."""
    try:
        token = str(uuid.UUID(str(pending["token"])))
        ext = pending["ext"]
    except (KeyError, TypeError, ValueError):
        return None
    return directory / f"{token}{ext}" if ext in extensions else None


def claim(path: Path | None) -> Path | None:
    """Take the waiting upload for one confirmation. A rename succeeds once: of two confirmations at
    once (a double click, two tabs) one imports the file and the other finds nothing to confirm."""
    if path is None:
        return None
    claimed = path.with_name(f"{path.stem}.applying{path.suffix}")
    try:
        path.rename(claimed)
    except FileNotFoundError:
        return None
    return claimed
