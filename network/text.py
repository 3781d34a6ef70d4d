"""Text helpers: Vietnamese without diacritics, so that "ha noi" finds "Hà Nội"; text without the
control characters that XML (feeds), XLSX and iCalendar refuse."""

import re
import unicodedata

# C0 controls but tab, line feed and carriage return; DEL; lone surrogates (a JSON "\ud800" escape)
# and the non-characters U+FFFE/U+FFFF. PostgreSQL refuses NUL in text and jsonb, psycopg cannot
# encode a lone surrogate, and XML feeds, XLSX files and iCalendar break on any of them.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")


def printable(text: str) -> str:
    """``text`` without control characters (a title pasted from a PDF can carry \\x0b or \\x0c)."""
    return _CONTROL.sub("", text) if text else text


def fold(text: str) -> str:
    """Lower-case, strip diacritics (đ → d too) and squeeze spaces."""
    text = (text or "").replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return " ".join(stripped.lower().split())
