"""Reading a user's file safely: a regular file only (no FIFO, device or folder), never more than a cap.

``/dev/zero`` would fill memory and a FIFO would wait for a writer forever; a file bigger than any
real scenario or batch is refused before it is read.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from calculator.model.errors import ScenarioError

MAX_SCENARIO_BYTES = 1024 * 1024
"""A scenario file: 1 MB (a full scenario with every note filled is under 100 kB)."""
MAX_BATCH_BYTES = 512 * 1024 * 1024
"""A batch file on the command line: 512 MB (about two million scenarios; the app takes 5 MB)."""


def read_user_bytes(path: Path, max_bytes: int) -> bytes:
    """The bytes of a regular file of at most ``max_bytes``; ScenarioError naming the file otherwise.

    Opened without blocking (a FIFO does not wait for a writer) and checked on the open descriptor, so
    what is checked is what is read.

    >>> read_user_bytes(Path("/dev/null"), 10)
    Traceback (most recent call last):
    calculator.model.errors.ScenarioError: /dev/null: cannot be read (not a regular file)
    """
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except (OSError, ValueError) as err:
        raise ScenarioError(str(path), f"cannot be read ({err.__class__.__name__}: {err})") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise ScenarioError(str(path), "cannot be read (not a regular file)")
        if info.st_size > max_bytes:
            raise ScenarioError(str(path), f"is {_size(info.st_size)}, more than the {_size(max_bytes)} accepted")
        with os.fdopen(os.dup(fd), "rb") as fh:
            content = fh.read(max_bytes + 1)
    except OSError as err:
        raise ScenarioError(str(path), f"cannot be read ({err.__class__.__name__}: {err})") from None
    finally:
        os.close(fd)
    if len(content) > max_bytes:  # grew while being read
        raise ScenarioError(str(path), f"is more than the {_size(max_bytes)} accepted")
    return content


def read_user_text(path: Path, max_bytes: int) -> str:
    """As :func:`read_user_bytes`, decoded as UTF-8 (a byte-order mark is dropped)."""
    try:
        return read_user_bytes(path, max_bytes).decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise ScenarioError(str(path), f"cannot be read (not UTF-8 text: {err.reason} at byte {err.start})") from None


def _size(n: int) -> str:
    return f"{n / (1024 * 1024):.1f} MB" if n >= 1024 * 1024 else f"{n:,} bytes"
