"""Text helpers: Vietnamese without diacritics, so that "ha noi" finds "Hà Nội"."""

import unicodedata


def fold(text: str) -> str:
    """Lower-case, strip diacritics (đ → d too) and squeeze spaces."""
    text = (text or "").replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return " ".join(stripped.lower().split())
