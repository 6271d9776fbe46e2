"""Attachments of a problem: checking an upload by its content, storing it with its timeline line, and
which attachments a user may download."""

from __future__ import annotations

import os
import re
import uuid
import zipfile

from django import forms
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from cases.models import Attachment, Case, CaseEvent, Visibility
from chainwork.scope import scope_for


def ministry_side(user) -> bool:
    """部专班 side: reads 部专班内部 notes, and its internal notes are 部专班内部."""
    return scope_for(user).ministry_side


def internal_visibility(user) -> str:
    return Visibility.MINISTRY if ministry_side(user) else Visibility.PROVINCE


MAX_UPLOAD_BYTES = 10 * 1024 * 1024
OOXML = "application/vnd.openxmlformats-officedocument"
ALLOWED_TYPES = {
    ".pdf": "application/pdf",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".docx": f"{OOXML}.wordprocessingml.document",
    ".xlsx": f"{OOXML}.spreadsheetml.sheet",
    ".doc": "application/msword",
    ".xls": "application/vnd.ms-excel",
    ".txt": "text/plain; charset=utf-8",
}
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
MAGIC = {".pdf": (b"%PDF-",), ".png": (b"\x89PNG\r\n\x1a\n",), ".jpg": (b"\xff\xd8\xff",),
         ".jpeg": (b"\xff\xd8\xff",), ".doc": (OLE2,), ".xls": (OLE2,)}
OOXML_PART = {".docx": "word/document.xml", ".xlsx": "xl/workbook.xml"}


def clean_filename(name: str) -> str:
    name = os.path.basename((name or "").replace("\\", "/"))
    name = re.sub(r"[\x00-\x1f\x7f]", "", name).strip() or "attachment"
    stem, ext = os.path.splitext(name)
    return stem[: 200 - len(ext)] + ext


def _content_matches(extension: str, upload) -> bool:
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    if extension in MAGIC:
        return head.startswith(MAGIC[extension])
    if extension in OOXML_PART:
        if not head.startswith(b"PK\x03\x04"):
            return False
        try:
            with zipfile.ZipFile(upload) as archive:  # reads the directory only, not the members
                return OOXML_PART[extension] in archive.namelist()
        except (zipfile.BadZipFile, OSError):
            return False
        finally:
            upload.seek(0)
    # .txt: text, not a binary renamed
    return b"\x00" not in head and not head.startswith((b"%PDF-", b"PK\x03\x04", OLE2, b"MZ", b"\x7fELF"))


def check_upload(upload) -> tuple[str, str]:
    """The extension and the content type to store; forms.ValidationError with the reason otherwise."""
    extension = os.path.splitext(clean_filename(upload.name))[1].lower()
    if extension not in ALLOWED_TYPES:
        raise forms.ValidationError(
            _("不支持该文件类型。可上传PDF、JPG、PNG、Word（doc/docx）、Excel（xls/xlsx）或TXT文件。"))
    if upload.size > MAX_UPLOAD_BYTES:
        raise forms.ValidationError(_("文件过大（%(size).1f MB），单个附件不能超过10 MB。")
                                    % {"size": upload.size / 1024 / 1024})
    if upload.size == 0:
        raise forms.ValidationError(_("文件是空的。"))
    if not _content_matches(extension, upload):
        raise forms.ValidationError(_("文件内容与扩展名“%(ext)s”不符，请确认文件类型正确、未损坏。")
                                    % {"ext": extension})
    return extension, ALLOWED_TYPES[extension]


def attachment_add(*, case: Case, actor, upload, extension: str, content_type: str, internal: bool) -> Attachment:
    """Store an uploaded file with a random name and write its 附件 line on the timeline.

    The timeline is otherwise written only by workflow.perform(), whose actions are the Contract's
    (state changes and notes, each bumping the version and notifying). An upload is none of them: it
    changes no state, must not make a colleague's open form stale, and carries a file. So the event is
    written here, in one transaction with the attachment row, so the timeline never names a file that
    was not saved (and a saved file always has its line).
    """
    scope = scope_for(actor)
    visibility = internal_visibility(actor) if internal else Visibility.SHARED
    name = clean_filename(upload.name)
    token = uuid.uuid4().hex
    with transaction.atomic():
        event = CaseEvent.objects.create(
            case=case, kind=CaseEvent.Kind.ATTACHMENT, action="attachment", actor=actor,
            actor_region_id=actor.region_id if scope.regions else None, visibility=visibility,
            note=name, data={"name": name, "size": upload.size},
        )
        attachment = Attachment(case=case, event=event, token=token, extension=extension, name=name,
                                size=upload.size, content_type=content_type, visibility=visibility,
                                uploaded_by=actor)
        attachment.file.save(f"{token}{extension}", upload, save=False)
        try:
            attachment.save()
        except Exception:
            attachment.file.delete(save=False)
            raise
    return attachment


def attachments_visible_to(user) -> QuerySet:
    """Attachments the user may download, by the rule of the timeline (selectors.visible_events): in the
    full view shared ones, a province's internal ones to that province's work group and the 部专班 side
    (Scope.reads_province_notes), 部专班 ones to the 部专班 side, and to each uploader their own; in the
    limited view (协办, referred departments) only the shared ones."""
    scope = scope_for(user)
    full = Case.objects.visible_to(user).values("pk")
    limited = Case.objects.shared_with(user).values("pk")
    internal = Q(visibility=Visibility.PROVINCE) & scope.province_notes_q("case__region")
    if scope.ministry_side:
        internal |= Q(visibility=Visibility.MINISTRY)
    return Attachment.objects.filter(
        Q(case__in=full) & (Q(visibility=Visibility.SHARED) | internal | Q(uploaded_by_id=user.pk))
        | Q(case__in=limited, visibility=Visibility.SHARED))
