"""Attachment checks (SUP-6): a short list of file types, recognised by their content (not by
what the browser or the mail client claims), and size limits per file, per message and in number.
Files are stored in the default (media) storage and served only through an access-checked view."""

from dataclasses import dataclass
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

_TEXT = "text"
_OOXML = (b"PK\x03\x04",)
# extension → (content type served back, accepted leading bytes or _TEXT)
TYPES = {
    ".pdf": ("application/pdf", (b"%PDF-",)),
    ".png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    ".jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".gif": ("image/gif", (b"GIF87a", b"GIF89a")),
    ".txt": ("text/plain", _TEXT),
    ".log": ("text/plain", _TEXT),
    ".csv": ("text/csv", _TEXT),
    ".json": ("application/json", _TEXT),
    ".har": ("application/json", _TEXT),
    ".zip": ("application/zip", _OOXML),
    ".docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", _OOXML),
    ".xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", _OOXML),
    ".pptx": ("application/vnd.openxmlformats-officedocument.presentationml.presentation", _OOXML),
}
ACCEPT = ",".join(sorted(TYPES))


@dataclass
class CheckedFile:
    file: object  # a Django File (UploadedFile or ContentFile)
    name: str
    content_type: str
    size: int


def limits():
    return {
        "max_bytes": settings.HUB_SUPPORT_ATTACHMENT_MAX_BYTES,
        "max_files": settings.HUB_SUPPORT_ATTACHMENT_MAX_FILES,
        "max_total_bytes": settings.HUB_SUPPORT_ATTACHMENT_MAX_TOTAL_BYTES,
    }


def _looks_like_text(head: bytes) -> bool:
    if b"\x00" in head:
        return False
    for cut in range(4):  # the sample may end inside a multi-byte character
        try:
            head[: len(head) - cut].decode("utf-8")
            return True
        except UnicodeDecodeError:
            continue
    return False


def check_file(upload) -> CheckedFile:
    """One file: an accepted type whose content matches its extension, within the size limit."""
    name = PurePath(upload.name or "").name or "attachment"
    extension = PurePath(name).suffix.lower()
    if extension not in TYPES:
        raise ValidationError(
            _("%(name)s: this type of file cannot be attached. Accepted: %(types)s."),
            code="attachment_type", params={"name": name, "types": ", ".join(sorted(TYPES))},
        )
    if upload.size > settings.HUB_SUPPORT_ATTACHMENT_MAX_BYTES:
        raise ValidationError(
            _("%(name)s is %(size)s; files can be at most %(limit)s."),
            code="attachment_size",
            params={"name": name, "size": filesizeformat(upload.size),
                    "limit": filesizeformat(settings.HUB_SUPPORT_ATTACHMENT_MAX_BYTES)},
        )
    if upload.size == 0:
        raise ValidationError(_("%(name)s is empty."), code="attachment_empty", params={"name": name})
    content_type, signatures = TYPES[extension]
    upload.seek(0)
    head = upload.read(65536)
    upload.seek(0)
    matches = _looks_like_text(head) if signatures == _TEXT else head.startswith(signatures)
    if not matches:
        raise ValidationError(
            _("%(name)s does not look like a %(extension)s file."),
            code="attachment_content", params={"name": name, "extension": extension},
        )
    return CheckedFile(file=upload, name=name, content_type=content_type, size=upload.size)


def check_files(uploads) -> list[CheckedFile]:
    """All files of one message, with the per-message limits. Raises one ValidationError listing
    every problem, so the form shows them all at once."""
    uploads = [upload for upload in uploads if upload]
    errors = []
    if len(uploads) > settings.HUB_SUPPORT_ATTACHMENT_MAX_FILES:
        errors.append(ValidationError(
            _("Attach at most %(count)d files."), code="attachment_count",
            params={"count": settings.HUB_SUPPORT_ATTACHMENT_MAX_FILES},
        ))
    checked = []
    for upload in uploads:
        try:
            checked.append(check_file(upload))
        except ValidationError as error:
            errors.append(error)
    if sum(item.size for item in checked) > settings.HUB_SUPPORT_ATTACHMENT_MAX_TOTAL_BYTES:
        errors.append(ValidationError(
            _("Together, the files can be at most %(limit)s."), code="attachment_total",
            params={"limit": filesizeformat(settings.HUB_SUPPORT_ATTACHMENT_MAX_TOTAL_BYTES)},
        ))
    if errors:
        raise ValidationError(errors)
    return checked
