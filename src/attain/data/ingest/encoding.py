"""Finding where a file stops being UTF-8, so the error names the line to look at."""

from __future__ import annotations

import codecs
from collections.abc import Callable
from typing import BinaryIO

from attain.data.ingest.problems import ImportFailed

RESAVE_HINT = "re-save it as UTF-8 (in Excel: Save As > CSV UTF-8)"


def not_utf8(label: str, open_bytes: Callable[[], BinaryIO]) -> ImportFailed:
    """The error for a file that is not UTF-8, naming the first bad line and byte."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    line = 1
    with open_bytes() as f:
        while chunk := f.read(1 << 20):
            pending = decoder.getstate()[0]
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError as e:
                data = pending + chunk
                line += data.count(b"\n", 0, e.start)
                bad = data[e.start : e.start + 1].hex().upper()
                return ImportFailed(
                    f"{label}:{line}: the file is not valid UTF-8 text "
                    f"(byte 0x{bad} on line {line}); {RESAVE_HINT}"
                )
            line += chunk.count(b"\n")
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return ImportFailed(f"{label}:{line}: the file ends inside a character; {RESAVE_HINT}")
    return ImportFailed(f"{label}: the file is not valid UTF-8 text; {RESAVE_HINT}")
