"""Writing files atomically: the one way biopipe replaces a file (documents, reports, tables, pictures)."""

from __future__ import annotations

import contextlib
import functools
import os
import stat
import sys
import time
from typing import TYPE_CHECKING

from ..model._errors import InvalidValue

if TYPE_CHECKING:
    from collections.abc import Callable, Collection, Iterator
    from pathlib import Path

__all__ = ["atomic_folder", "atomic_path", "file_mode", "write_atomic"]

#: A temporary file or folder whose writer is gone is removed by the next write beside it once it is this old
#: (seconds); one whose writer's process id is no longer running is removed at once.
STALE_AFTER = 3600.0


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike[str]) -> Iterator[Path]:
    """A temporary path beside *path*; when the block ends without error it replaces *path*.

    Whatever the block writes to the temporary path is flushed to disk, given
    the permissions an ordinary write would give *path* (see `file_mode`), and
    renamed over *path*; the folder is then synced so the rename survives a
    crash. Readers see the old file or the new one, never half of one. On an
    error the temporary file is removed, *path* is untouched, and the error
    names *path* (not the hidden temporary file).

    What replacing means, precisely:

    * The temporary file is ``.NAME.PID.XXXXXXXX.tmp`` in the same folder. One
      left behind by a killed writer is removed by the next write to the same
      *path*: at once if its process id is no longer running, else once it is
      an hour old (`STALE_AFTER`).
    * A symbolic link is followed: the file it points to is replaced and the
      link stays a link (a dangling link gets its target created).
    * A hard-linked file is replaced by a new file: *path* shows the new
      content, the other links keep the old (the rename gives *path* a new inode).
    * The file keeps its permission bits, and its owner and group where the
      process may set them (as root); otherwise it belongs to the writer.
    * Only a regular file (or nothing) can be replaced: a folder, FIFO, socket
      or device at *path* is an `InvalidValue`, raised before anything is written.

    >>> import tempfile, pathlib
    >>> from biopipe.document._files import atomic_path
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     target = pathlib.Path(tmp, "out.txt")
    ...     with atomic_path(target) as part:
    ...         _ = part.write_text("done")
    ...     target.read_text(), sorted(p.name for p in pathlib.Path(tmp).iterdir())
    ('done', ['out.txt'])
    """
    import tempfile  # on first use: not part of ``import biopipe``
    from pathlib import Path  # on first use: pathlib, fnmatch, urllib.parse are ~16 ms of ``import biopipe``

    target = _destination(path)
    directory = target.parent
    _remove_stale(directory, target.name)
    try:
        fd, name = tempfile.mkstemp(prefix=f".{target.name}.{os.getpid()}.", suffix=".tmp", dir=directory)
    except OSError as e:
        raise OSError(e.errno, e.strerror, os.fspath(path)) from None
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
        with open(tmp, "rb+") as f:
            os.fsync(f.fileno())
        _keep_attributes(tmp, target)
        os.replace(tmp, target)
    except BaseException as e:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        named = _naming(e, path, tmp) if isinstance(e, OSError) else e
        if named is e:
            raise
        raise named from e
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


@contextlib.contextmanager
def atomic_folder(path: str | os.PathLike[str], replaceable: Collection[str] = ()) -> Iterator[Path]:
    """A new temporary folder beside *path*; when the block ends without error it replaces the folder *path*.

    The block fills the temporary folder; its files and the folder are then
    synced and the two folders swapped, so a reader sees every old file or
    every new one, never a mix. On Linux the swap is one atomic exchange
    (``renameat2``); elsewhere the old folder is renamed aside and the new one
    renamed in, so for an instant *path* does not exist. The old folder is
    then removed. On an error *path* is untouched and the temporary folder removed.

    An existing folder *path* may hold only the names in *replaceable* (what
    an earlier write put there): anything else would be lost in the swap, so
    it is an `InvalidValue`, raised before anything is written. A symbolic link to a
    folder is followed, as `atomic_path` follows one to a file.

    >>> import tempfile, pathlib
    >>> from biopipe.document._files import atomic_folder
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     out = pathlib.Path(tmp, "tables")
    ...     with atomic_folder(out) as part:
    ...         _ = (part / "a.txt").write_text("new")
    ...     sorted(p.name for p in out.iterdir()), sorted(p.name for p in pathlib.Path(tmp).iterdir())
    (['a.txt'], ['tables'])
    """
    import shutil  # on first use: not part of ``import biopipe``
    import tempfile  # on first use: not part of ``import biopipe``
    from pathlib import Path  # on first use: not part of ``import biopipe``

    target = _destination(path, folder=True)
    if target.exists():
        foreign = sorted(set(os.listdir(target)) - set(replaceable))
        if foreign:
            shown = ", ".join(foreign[:3]) + (", ..." if len(foreign) > 3 else "")
            raise InvalidValue(str(path), "a new folder or one holding only earlier output", detail=f"it holds {shown}")
    directory = target.parent
    _remove_stale(directory, target.name)
    try:
        tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.{os.getpid()}.", suffix=".tmp", dir=directory))
    except OSError as e:
        raise OSError(e.errno, e.strerror, os.fspath(path)) from None
    old: Path | None = None
    try:
        yield tmp
        for child in tmp.iterdir():
            if child.is_file():
                with open(child, "rb+") as f:
                    os.fsync(f.fileno())
        os.chmod(tmp, file_mode(target, folder=True))
        _sync_directory(tmp)
        if not target.exists():
            os.rename(tmp, target)
        elif _exchange(tmp, target):
            old = tmp  # the exchange left the old folder at the temporary name
        else:
            old = Path(tempfile.mkdtemp(prefix=f".{target.name}.{os.getpid()}.", suffix=".tmp", dir=directory))
            os.rename(target, old)  # over the new empty folder
            try:
                os.rename(tmp, target)
            except BaseException:
                os.rename(old, target)
                old = None
                raise
        _sync_directory(directory)
    except BaseException as e:
        shutil.rmtree(tmp, ignore_errors=True)
        named = _naming(e, path, tmp) if isinstance(e, OSError) else e
        if named is e:
            raise
        raise named from e
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def file_mode(path: Path, *, folder: bool = False) -> int:
    """The permission bits for writing *path*: its current ones if it exists, else 0o666 (0o777) less the umask."""
    try:
        return path.stat().st_mode & 0o7777
    except OSError:
        return (0o777 if folder else 0o666) & ~_umask()


# -- helpers ---------------------------------------------------------------------------------------


def _destination(path: str | os.PathLike[str], *, folder: bool = False) -> Path:
    """*path* with symbolic links followed; refused if something other than a regular file (a folder) is there."""
    from pathlib import Path  # on first use: not part of ``import biopipe``

    resolved = Path(os.path.realpath(path))
    try:
        mode = os.stat(resolved).st_mode
    except FileNotFoundError:
        return resolved
    except OSError as e:
        raise _naming(e, path) from None
    if folder and not stat.S_ISDIR(mode):
        raise InvalidValue(str(path), "a folder or a new path", detail=f"it is {_kind(mode)}")
    if not folder and not stat.S_ISREG(mode):
        raise InvalidValue(str(path), "a regular file or a new path", detail=f"it is {_kind(mode)}")
    return resolved


def _kind(mode: int) -> str:
    kinds = (
        (stat.S_ISREG, "a file"),
        (stat.S_ISDIR, "a folder"),
        (stat.S_ISFIFO, "a FIFO (named pipe)"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISSOCK, "a socket"),
    )
    return next((kind for test, kind in kinds if test(mode)), "not a regular file")


def _naming(error: OSError, path: str | os.PathLike[str], tmp: Path | None = None) -> OSError:
    """*error* naming *path* where it named the temporary file (or nothing)."""
    if error.filename is not None and (tmp is None or os.fspath(error.filename) != str(tmp)):
        return error
    return OSError(error.errno, error.strerror or str(error), os.fspath(path))


def _keep_attributes(tmp: Path, target: Path) -> None:
    """Give *tmp* the mode of *target* (or a new file's), and its owner and group where allowed."""
    os.chmod(tmp, file_mode(target))
    try:
        info = target.stat()
    except OSError:
        return
    if hasattr(os, "chown") and (info.st_uid, info.st_gid) != (tmp.stat().st_uid, tmp.stat().st_gid):
        with contextlib.suppress(OSError):
            os.chown(tmp, info.st_uid, info.st_gid)
        os.chmod(tmp, info.st_mode & 0o7777)  # chown clears set-user-id bits


def _remove_stale(directory: Path, name: str) -> None:
    """Remove temporary files and folders of earlier writes to *name* whose writer is gone."""
    import shutil  # on first use: not part of ``import biopipe``

    prefix = f".{name}."
    try:
        entries = list(os.scandir(directory))
    except OSError:
        return
    now = time.time()
    for entry in entries:
        if not (entry.name.startswith(prefix) and entry.name.endswith(".tmp")):
            continue
        parts = entry.name[len(prefix) : -len(".tmp")].split(".")
        try:
            age = now - entry.stat(follow_symlinks=False).st_mtime
        except OSError:
            continue
        pid = int(parts[0]) if len(parts) == 2 and parts[0].isdigit() else None
        if age < STALE_AFTER and (pid is None or _running(pid)):
            continue
        if entry.is_dir(follow_symlinks=False):
            shutil.rmtree(entry.path, ignore_errors=True)
        else:
            with contextlib.suppress(OSError):
                os.unlink(entry.path)


def _running(pid: int) -> bool:
    """Whether process *pid* exists (on this machine); assumed so where that cannot be asked safely."""
    if pid == os.getpid() or os.name != "posix":
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # it exists but belongs to someone else
    return True


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one step (Linux ``renameat2(RENAME_EXCHANGE)``); False where that is not available."""
    renameat2 = _renameat2()
    if renameat2 is None:
        return False
    at_fdcwd, rename_exchange = -100, 2
    return bool(renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0)


@functools.cache
def _renameat2() -> Callable[[int, bytes, int, bytes, int], int] | None:
    if sys.platform != "linux":
        return None
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        function = libc.renameat2
    except (OSError, AttributeError):
        return None
    function.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    function.restype = ctypes.c_int
    renameat2: Callable[[int, bytes, int, bytes, int], int] = function
    return renameat2


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


@functools.cache
def _umask() -> int:
    # The umask can only be read by setting it; done once, at the first write.
    mask = os.umask(0o022)
    os.umask(mask)
    return mask
