"""Bytes to text: UTF-8 first (with or without BOM), then legacy encodings via charset-normalizer.

Public functions::

    decode_text(data: bytes) -> str          # raises NotTextError(reason)
    looks_binary(data: bytes) -> bool
"""

from __future__ import annotations

import codecs
import logging
import unicodedata

__all__ = ["NotTextError", "decode_text", "looks_binary"]

log = logging.getLogger(__name__)

_SNIFF = 8192
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
#: Share of control characters above which decoded "text" is taken for binary data.
_MAX_CONTROL = 0.01
#: When charset-normalizer finds windows-1252 as plausible as its best guess, take it:
#: short Western texts fit several code pages equally well, and the WHATWG encoding
#: standard reads every latin-1 label as windows-1252, the commonest legacy encoding online.
_PREFERRED_LEGACY = "cp1252"


class NotTextError(ValueError):
    """The bytes are not text accord can read; the message is the reason to report."""


def decode_text(data: bytes) -> str:
    """Decode bytes to text, or raise :class:`NotTextError` with the reason.

    UTF-8 (a BOM is dropped) and BOM-marked UTF-16/32 are tried first; anything else
    goes to charset-normalizer, so cp1252 and latin-1 text reads correctly.
    """
    if not data.strip():
        raise NotTextError("empty file")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return _checked(data.decode(encoding))
            except UnicodeDecodeError:
                raise NotTextError(f"undecodable text (broken {encoding.upper()})") from None
    if looks_binary(data):
        raise NotTextError("binary file, not text")
    try:
        return _checked(data.decode("utf-8"))
    except UnicodeDecodeError:
        pass
    return _checked(_legacy(data))


def looks_binary(data: bytes) -> bool:
    """True when the start of the data holds NUL bytes (images, archives, executables)."""
    return b"\x00" in data[:_SNIFF]


def _legacy(data: bytes) -> str:
    import charset_normalizer

    best = charset_normalizer.from_bytes(data).best()
    western = charset_normalizer.from_bytes(data, cp_isolation=[_PREFERRED_LEGACY]).best()
    if western is not None and (best is None or western.chaos <= best.chaos):
        log.debug("decoded as %s", western.encoding)
        return str(western)
    if best is None:
        raise NotTextError("undecodable text (not UTF-8, and no other encoding fits)")
    log.debug("decoded as %s", best.encoding)
    return str(best)


def _checked(text: str) -> str:
    sample = text[:_SNIFF]
    controls = sum(
        1 for ch in sample if unicodedata.category(ch) == "Cc" and ch not in "\t\n\r\f\v"
    )
    if sample and controls / len(sample) > _MAX_CONTROL:
        raise NotTextError("binary file, not text")
    if not text.strip():
        raise NotTextError("empty file")
    return text
