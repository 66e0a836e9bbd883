"""Share per-case work between the machine's cores, for large libraries only.

Workers are forked, so they start with everything the parent has already loaded (the taxonomy,
the templates, the library), handed to them explicitly as `map_chunks`' state; each gets one
contiguous chunk of about equal work, the parent does the last chunk itself, and the results come
back in order, so the output is the same as a serial run. A process running other threads is
never forked.
"""

from __future__ import annotations

import contextlib
import gc
import os
import pickle
import signal
import threading
from collections.abc import Callable, Iterator, Sequence
from typing import TypeVar

S = TypeVar("S")
T = TypeVar("T")
R = TypeVar("R")

# Below this much work (items, or the items' weights where given: case pages' worth) a second
# process costs more than it saves.
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

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
        if os.getppid() == 1:  # the parent died before prctl took effect
            os._exit(1)
    except (OSError, AttributeError):
        pass


def workers() -> int:
    configured = os.environ.get("CASEBOOK_WORKERS")
    if configured and configured.isdigit():
        return max(1, int(configured))
    return max(1, min(os.cpu_count() or 1, 4))


def fork_available() -> bool:
    """Forking is safe only while this process runs a single thread: a lock held by another
    thread at the moment of the fork stays locked forever in the child. With threads running
    (the preview server's, a test harness's), work is done serially instead."""
    return hasattr(os, "fork") and threading.active_count() == 1


def weighted_chunks(items: Sequence[T], weights: Sequence[float], count: int,
                    last_extra: float = 0.0) -> list[Sequence[T]]:
    """At most `count` contiguous chunks of about equal total weight, the last one larger by the
    fraction `last_extra` (a heavy item may make a chunk on its own)."""
    target = sum(weights) / (count + last_extra)
    out: list[Sequence[T]] = []
    start, running = 0, 0.0
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


class WorkerFailed(Exception):
    """A forked worker died or could not send its results back."""


def _run_child(func: Callable[[S, Sequence[T]], list[R]], state: S, part: Sequence[T], write_fd: int) -> None:
    """In the forked child: do the share, send it back pickled, and leave without cleanup."""
    status = 0
    try:
        worker_init()
        try:
            payload = pickle.dumps((True, func(state, part)), pickle.HIGHEST_PROTOCOL)
        except BaseException as exc:  # sent to the parent, which raises it
            try:
                payload = pickle.dumps((False, exc), pickle.HIGHEST_PROTOCOL)
            except Exception:
                payload = pickle.dumps((False, WorkerFailed(f"{type(exc).__name__}: {exc}")))
        with os.fdopen(write_fd, "wb") as out:
            out.write(payload)
    except BaseException:
        status = 1
    finally:
        os._exit(status)  # never return into the parent's code (its finally blocks, atexit, pytest…)


def map_chunks(func: Callable[[S, Sequence[T]], list[R]], items: Sequence[T], state: S,
               weights: Sequence[float] | None = None) -> list[R]:
    """`func(state, chunk)` over contiguous chunks of items, in forked processes when it pays;
    results in order. The children get `state` by inheritance (nothing is pickled on the way
    in) and send their results back through a pipe. `weights` (one per item) balance the chunks."""
    count = workers()
    work = sum(weights) if weights is not None else len(items)
    if count < 2 or len(items) < 2 or work < THRESHOLD or not fork_available():
        return func(state, items)
    parts = weighted_chunks(items, weights or [1.0] * len(items), count, PARENT_EXTRA_SHARE)
    if len(parts) < 2:
        return func(state, items)
    children: list[tuple[int, int]] = []  # (pid, read end of its pipe)
    try:
        with _gc_frozen():
            for part in parts[:-1]:
                read_fd, write_fd = os.pipe()
                pid = os.fork()
                if pid == 0:
                    os.close(read_fd)
                    _run_child(func, state, part, write_fd)
                os.close(write_fd)
                children.append((pid, read_fd))
            # The parent does the last chunk itself instead of waiting: one fork fewer, and that
            # chunk's results are never pickled.
            own = func(state, parts[-1])
        results = []
        while children:
            pid, read_fd = children.pop(0)
            with os.fdopen(read_fd, "rb") as incoming:
                data = incoming.read()
            os.waitpid(pid, 0)
            if not data:
                raise WorkerFailed("a worker process ended without sending its results")
            ok, value = pickle.loads(data)
            if not ok:
                raise value
            results.append(value)
    finally:
        for pid, read_fd in children:  # what is left after a failure: stop and reap it
            with contextlib.suppress(OSError):
                os.close(read_fd)
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)
            with contextlib.suppress(OSError):
                os.waitpid(pid, 0)
    return [item for part in (*results, own) for item in part]
