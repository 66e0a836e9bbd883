"""Share per-case work between the machine's cores, for large libraries only.

Workers are forked, so they start with everything the parent has already loaded (the taxonomy,
the templates, the library); each gets one contiguous chunk of about equal work, the parent does
the last chunk itself, and the results come back in order, so the output is the same as a serial
run.
"""

from __future__ import annotations

import contextlib
import gc
import multiprocessing
import os
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")

# Below this many items a second process costs more than it saves.
THRESHOLD = 400
# How much larger the parent's own chunk is than a worker's: a worker's results still have to be
# pickled, sent and unpickled when its chunk is done (measured: 5 to 10% of the work).
PARENT_EXTRA_SHARE = 0.1

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


def weighted_chunks(items: Sequence[T], weights: Sequence[float], count: int,
                    last_extra: float = 0.0) -> list[Sequence[T]]:
    """At most `count` contiguous chunks of about equal total weight, the last one larger by the
    fraction `last_extra` (a heavy item may make a chunk on its own)."""
    target = sum(weights) / (count + last_extra)
    out, start, running = [], 0, 0.0
    for index, weight in enumerate(weights):
        running += weight
        if running >= target and len(out) < count - 1:
            out.append(items[start:index + 1])
            start, running = index + 1, 0.0
    if start < len(items):
        out.append(items[start:])
    return out


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cycle collector for a step that builds a great many objects (cases, indexes,
    pages): at thousands of cases each full collection walks them all and finds nothing, as they
    hold no reference cycles. Reference counting frees memory as usual meanwhile."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


@contextlib.contextmanager
def _gc_frozen() -> Iterator[None]:
    """Move everything the parent holds out of the collector's reach while workers run: a
    collection in a forked worker would otherwise touch (and so copy) every inherited object."""
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def map_chunks(func: Callable[[Sequence[T]], list[R]], items: Sequence[T],
               weights: Sequence[float] | None = None) -> list[R]:
    """func over contiguous chunks of items, in forked processes when it pays; results in order.
    `weights` (one per item) balance the chunks when items cost unequal work."""
    count = workers()
    if count < 2 or len(items) < THRESHOLD or not fork_available():
        return func(items)
    parts = weighted_chunks(items, weights or [1.0] * len(items), count, PARENT_EXTRA_SHARE)
    if len(parts) < 2:
        return func(items)
    # The parent does the last chunk itself instead of waiting: one fork fewer, and that
    # chunk's results are never pickled. (Handing out many small pieces instead balances no
    # better: the pool's feeding thread has to win the parent's GIL for every piece.)
    with _gc_frozen(), fork_pool(len(parts) - 1) as pool:
        futures = [pool.submit(func, part) for part in parts[:-1]]
        own = func(parts[-1])
        results = [future.result() for future in futures]
    return [item for part in (*results, own) for item in part]
