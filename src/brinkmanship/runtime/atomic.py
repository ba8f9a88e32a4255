"""Crash-safe file writes: a reader sees the old file or the new one, never half of one."""

from __future__ import annotations

import contextlib
import functools
import os
import tempfile
from pathlib import Path


def _fsync_dir(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:  # pragma: no cover - not possible on every platform
        return
    try:
        os.fsync(fd)
    except OSError:  # pragma: no cover
        pass
    finally:
        os.close(fd)


@functools.cache
def _new_file_mode() -> int:
    """0o666 less the umask, read once: reading it means setting it, which must not race
    with files that other threads (the autosave worker) are creating."""
    mask = os.umask(0o022)
    os.umask(mask)
    return 0o666 & ~mask


def _mode_for(path: Path) -> int:
    """The permissions a plain ``open(path, "w")`` would give: the old file's, else the
    umask's (``mkstemp`` alone makes every save and export private to its owner)."""
    try:
        return path.stat().st_mode & 0o777
    except OSError:
        return _new_file_mode()


def _temp(path: Path, text: str) -> str:
    """A fsynced temp file beside ``path`` holding ``text``; its name."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with contextlib.suppress(OSError, AttributeError):  # no fchmod on some platforms
            os.fchmod(fd, _mode_for(path))
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return tmp


def write_new(path: Path, text: str) -> bool:
    """Create ``path`` holding ``text`` only if it does not exist yet; False if it does.

    The complete file is linked into place (``os.link`` fails when the name exists), so
    of two writers racing for one name exactly one wins, and nobody sees half a file.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = _temp(path, text)
    try:
        try:
            os.link(tmp, path)
        except FileExistsError:
            return False
        except OSError:  # no hard links here: claim the name exclusively, then fill it
            try:
                os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644))
            except FileExistsError:
                return False
            os.replace(tmp, path)
    finally:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
    _fsync_dir(path.parent)
    return True


def write_atomic(path: Path, text: str, backup: bool = True) -> None:
    """Write ``text`` to ``path`` via a temp file, fsync and ``os.replace``.

    With ``backup``, the previous version is kept as ``<name>.bak`` (made by a hard
    link, so ``path`` itself always exists while we work).
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = _temp(path, text)
    try:
        if backup and path.exists():
            bak = path.with_name(path.name + ".bak")
            link = Path(tmp + ".bak")
            try:
                os.link(path, link)
                os.replace(link, bak)
            except OSError:
                with contextlib.suppress(OSError):
                    link.unlink()
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    _fsync_dir(path.parent)
