"""Share per-case work between the machine's cores, for large libraries only.

Workers are forked, so they start with everything the parent has already loaded (the taxonomy,
the templates, the library); each gets one contiguous chunk, and the results come back in order,
so the output is the same as a serial run.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")

# Below this many items a second process costs more than it saves.
THRESHOLD = 400

# File descriptors a forked worker must not keep open: the build lock, so that a build that is
# killed releases it at once even if one of its workers is still finishing.
PRIVATE_FDS: set[int] = set()


def worker_init() -> None:
    """Run first in every forked worker: drop the parent's private descriptors, and die with
    the parent (Linux) rather than run on as an orphan holding memory."""
    for fd in list(PRIVATE_FDS):
        with contextlib.suppress(OSError):
            os.close(fd)
    try:
        import ctypes
        import signal

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
        if os.getppid() == 1:  # the parent died before prctl took effect
            os._exit(1)
    except (OSError, AttributeError):
        pass


def fork_pool(max_workers: int) -> ProcessPoolExecutor:
    return ProcessPoolExecutor(max_workers=max_workers, mp_context=multiprocessing.get_context("fork"),
                               initializer=worker_init)


def workers() -> int:
    configured = os.environ.get("CASEBOOK_WORKERS")
    if configured and configured.isdigit():
        return max(1, int(configured))
    return max(1, min(os.cpu_count() or 1, 4))


def fork_available() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


def chunks(items: Sequence[T], count: int) -> list[Sequence[T]]:
    size, extra = divmod(len(items), count)
    out, start = [], 0
    for index in range(count):
        end = start + size + (1 if index < extra else 0)
        if end > start:
            out.append(items[start:end])
        start = end
    return out


def map_chunks(func: Callable[[Sequence[T]], list[R]], items: Sequence[T]) -> list[R]:
    """func over contiguous chunks of items, in forked processes when it pays; results in order."""
    count = workers()
    if count < 2 or len(items) < THRESHOLD or not fork_available():
        return func(items)
    parts = chunks(items, count)
    with fork_pool(len(parts)) as pool:
        results = list(pool.map(func, parts))
    return [item for part in results for item in part]
