"""Uploads waiting between an import's dry run and its confirmation (the enterprise list and the
问题清单 imports). The file waits under MEDIA_ROOT/imports/<uuid>.<ext>; the session holds the uuid,
never a path a form could send; a confirmation claims it by a rename, which succeeds once."""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

EXTENSIONS = (".xlsx", ".csv")
STALE_SECONDS = 24 * 3600


def upload_dir() -> Path:
    return Path(settings.MEDIA_ROOT) / "imports"


def pending_path(pending) -> Path | None:
    """The waiting upload named by the session, rebuilt from a checked uuid and extension."""
    try:
        token = str(uuid.UUID(str(pending["token"])))
        ext = pending["ext"]
    except (KeyError, TypeError, ValueError):
        return None
    return upload_dir() / f"{token}{ext}" if ext in EXTENSIONS else None


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


def sweep_stale() -> None:
    """Uploads checked but never confirmed are removed after a day."""
    limit = time.time() - STALE_SECONDS
    for path in upload_dir().glob("*"):
        try:
            if path.is_file() and path.stat().st_mtime < limit:
                path.unlink()
        except OSError:
            continue


@dataclass(frozen=True)
class Pending:
    """One import's waiting upload, kept in the session under `session_key`."""

    session_key: str

    def discard(self, request) -> None:
        path = pending_path(request.session.pop(self.session_key, None))
        if path is not None:
            path.unlink(missing_ok=True)

    def store(self, request, upload) -> tuple[str, Path]:
        """Replace the user's waiting upload (if any) by this one, on disk: (token, path)."""
        self.discard(request)
        ext = Path(upload.name).suffix.lower()
        token = str(uuid.uuid4())
        directory = upload_dir()
        directory.mkdir(parents=True, exist_ok=True)
        path = directory / f"{token}{ext}"
        with path.open("wb") as out:
            for chunk in upload.chunks():
                out.write(chunk)
        return token, path

    def keep(self, request, token: str, path: Path, name: str) -> None:
        """The dry run passed: the upload waits for its confirmation."""
        request.session[self.session_key] = {"token": token, "ext": path.suffix, "name": name}

    def release(self, request, token: str, claimed: Path, name: str) -> None:
        """Put a claimed upload back to wait again (its confirmation needs one more answer)."""
        path = claimed.with_name(claimed.name.replace(".applying", "", 1))
        claimed.rename(path)
        self.keep(request, token, path, name)

    def take(self, request) -> tuple[Path, str] | None:
        """Claim the upload the confirming form names: (claimed path, file name), or None when there is
        nothing (any more) to confirm."""
        pending = request.session.get(self.session_key)
        path = pending_path(pending)
        claimed = claim(path) if pending and pending.get("token") == request.POST.get("token") else None
        if claimed is None:
            return None
        request.session.pop(self.session_key, None)
        return claimed, pending.get("name") or path.name
