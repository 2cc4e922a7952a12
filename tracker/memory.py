"""Memory helpers for batch work."""

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector during batch work that creates hundreds of
    thousands of small, acyclic objects: its repeated full scans of them (and of every ORM
    object already loaded) would otherwise double or triple the time."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
