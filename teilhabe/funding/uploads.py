"""What an upload really is, judged by its first bytes rather than its name or the browser's
word: only PDF, PNG and JPEG are accepted. Pure functions."""

SIGNATURES: tuple[tuple[bytes, str, str], ...] = (
    (b"%PDF-", "application/pdf", ".pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png", ".png"),
    (b"\xff\xd8\xff", "image/jpeg", ".jpg"),
)


def sniff(head: bytes) -> tuple[str, str] | None:
    """(MIME type, file suffix) of a PDF, PNG or JPEG file's first bytes; None otherwise."""
    for signature, mimetype, suffix in SIGNATURES:
        if head.startswith(signature):
            return mimetype, suffix
    return None


def safe_name(name: str, limit: int = 120) -> str:
    """The uploaded file's name for display: no path, no control characters, not too long."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    cleaned = "".join(ch for ch in base if ch.isprintable()).strip() or "file"
    return cleaned[-limit:]
