"""Writing files atomically: the one way biopipe replaces a file (documents, reports, tables, pictures)."""

from __future__ import annotations

import contextlib
import functools
import os
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterator

__all__ = ["atomic_path", "file_mode", "write_atomic"]


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike[str]) -> Iterator[Path]:
    """A temporary path beside *path*; when the block ends without error it replaces *path*.

    Whatever the block writes to the temporary path is flushed to disk, given
    the permissions an ordinary write would give *path* (see `file_mode`), and
    renamed over *path*; the folder is then synced so the rename survives a
    crash. Readers see the old file or the new one, never half of one. On an
    error the temporary file is removed and *path* is untouched.

    >>> import tempfile, pathlib
    >>> from biopipe.document._files import atomic_path
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     target = pathlib.Path(tmp, "out.txt")
    ...     with atomic_path(target) as part:
    ...         _ = part.write_text("done")
    ...     target.read_text(), sorted(p.name for p in pathlib.Path(tmp).iterdir())
    ('done', ['out.txt'])
    """
    target = Path(path)
    directory = target.parent if str(target.parent) else Path(".")
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=directory)
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
        with open(tmp, "rb+") as f:
            os.fsync(f.fileno())
        os.chmod(tmp, file_mode(target))
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    _sync_directory(directory)


def write_atomic(path: str | os.PathLike[str], data: bytes) -> None:
    """Write *data* to *path* atomically: a reader sees the old file or the new one, never half of one.

    >>> import tempfile, pathlib
    >>> from biopipe.document import write_atomic
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     write_atomic(pathlib.Path(tmp, "a.txt"), b"x")
    ...     pathlib.Path(tmp, "a.txt").read_bytes()
    b'x'
    """
    with atomic_path(path) as tmp:
        tmp.write_bytes(data)


def _sync_directory(directory: Path) -> None:
    # Where the platform cannot open a folder (Windows), the rename is as durable as it gets.
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def file_mode(path: Path) -> int:
    """The permission bits for writing *path*: its current ones if it exists, else 0o666 less the umask."""
    try:
        return path.stat().st_mode & 0o7777
    except OSError:
        return 0o666 & ~_umask()


@functools.cache
def _umask() -> int:
    # The umask can only be read by setting it; done once, at the first write.
    mask = os.umask(0o022)
    os.umask(mask)
    return mask
