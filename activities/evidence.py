"""Which files may be evidence: the type is read from the content (the `filetype` library's
signatures), never from the name, and the name's extension must agree with it. A `.pdf` whose
content is a Windows executable is refused, and so is anything not a PDF, an image, an office
document or CSV.

Pure functions of the file's first bytes, its name and its size; the service reads those and
stores nothing unless `problems` is empty.
"""

from __future__ import annotations

from dataclasses import dataclass

import filetype
from django.template.defaultfilters import filesizeformat

# Detected MIME type → the extensions a name may carry for it.
ALLOWED: dict[str, tuple[str, ...]] = {
    "application/pdf": ("pdf",),
    "image/png": ("png",),
    "image/jpeg": ("jpg", "jpeg"),
    "image/gif": ("gif",),
    "image/webp": ("webp",),
    "application/msword": ("doc",),
    "application/vnd.ms-excel": ("xls",),
    "application/vnd.ms-powerpoint": ("ppt",),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ("docx",),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ("xlsx",),
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": ("pptx",),
    "application/vnd.oasis.opendocument.text": ("odt",),
    "application/vnd.oasis.opendocument.spreadsheet": ("ods",),
    "application/vnd.oasis.opendocument.presentation": ("odp",),
}
CSV = "text/csv"
# How much of the file the check reads: filetype looks at the first 8 KiB, and a CSV's first
# 8 KiB tell whether it is text.
HEAD_BYTES = 8192


@dataclass(frozen=True, slots=True)
class FileCheck:
    content_type: str
    problems: tuple[str, ...]


def _megabytes(size: int) -> str:
    return filesizeformat(size).replace("\xa0", " ")


def _extension(name: str) -> str:
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def _looks_like_text(head: bytes) -> bool:
    if b"\x00" in head:
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        # A multi-byte character cut at the end of the head is still text.
        return exc.start >= len(head) - 3
    return True


def check_file(*, name: str, size: int, head: bytes, max_bytes: int) -> FileCheck:
    """The file's type as its content says, and every reason it cannot be evidence."""
    problems = []
    if size > max_bytes:
        problems.append(
            f"“{name}” is {_megabytes(size)}; evidence files may be at most "
            f"{_megabytes(max_bytes)}. Nothing was stored."
        )
    if size == 0:
        problems.append(f"“{name}” is empty. Nothing was stored.")
    extension = _extension(name)
    kind = filetype.guess(head)
    if kind is None:
        if extension == "csv" and _looks_like_text(head):
            return FileCheck(CSV, tuple(problems))
        problems.append(
            f"The content of “{name}” is not a PDF, an image, an office document or CSV."
        )
        return FileCheck("application/octet-stream", tuple(problems))
    if kind.mime not in ALLOWED:
        problems.append(
            f"“{name}” is a {kind.extension.upper()} file ({kind.mime}) whatever its name "
            "says; evidence must be a PDF, an image, an office document or CSV."
        )
    elif extension not in ALLOWED[kind.mime]:
        problems.append(
            f"“{name}” is named .{extension or '(none)'} but its content is "
            f"{kind.extension.upper()}: rename it .{ALLOWED[kind.mime][0]} if that is right."
        )
    return FileCheck(kind.mime, tuple(problems))
