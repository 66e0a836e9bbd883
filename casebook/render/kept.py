"""KEPT: what the render stage says of a page an incremental build left as it was.

It lives here, in the stage that decides it, so that render/ hands it down to the writer
(casebook/writer.py) rather than reaching forward into a later stage for it."""

from __future__ import annotations


class Kept:
    """In place of a file's content: the file already holds it (an incremental build's unchanged
    page), so it is neither read nor written."""

    def __repr__(self) -> str:
        return "KEPT"


KEPT = Kept()
