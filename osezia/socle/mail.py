"""E-mail headers built from text people typed.

A header (subject, display name) must hold one line: Django refuses to send a message whose
subject contains a line break (`BadHeaderError`), and a stray control character can hide or
spoof part of it in a mail client. `header_safe` turns any text into a one-line header value.
"""

import unicodedata

# Control characters, format characters (bidirectional overrides, zero-width…), and the Unicode
# line and paragraph separators.
_UNSAFE_CATEGORIES = {"Cc", "Cf", "Zl", "Zp"}


def header_safe(text, max_len: int = 150) -> str:
    """`text` on one line: line breaks and control characters become spaces, runs of spaces
    one space, and the whole is cut at `max_len` characters (ending with « … » when cut)."""
    cleaned = "".join(
        " " if unicodedata.category(char) in _UNSAFE_CATEGORIES else char
        for char in str(text or "")
    )
    cleaned = " ".join(cleaned.split())
    if len(cleaned) > max_len:
        cleaned = cleaned[: max_len - 1].rstrip() + "…"
    return cleaned
