"""Writes that never leave a half-written file or a half-changed folder.

One file: written beside its target, then renamed over it. Several files of a year folder (`new-year`,
`extract`): the whole folder is staged beside it (its other files copied) and swapped in with one atomic rename,
so at every moment, a kill -9 included, the year folder is the old one byte for byte or the new one complete.
What a killed run leaves behind (a hidden `.<year>.staging-*` or `.<year>.old-*` folder beside the year
folders) is cleared by `recover`, which every writing command runs first.
"""

from __future__ import annotations

import ctypes
import errno
import os
import shutil
import tempfile
from pathlib import Path

STAGING = ".staging-"
OLD = ".old-"


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _write_file(path: Path, text: str | bytes) -> None:
    """Write and flush to disk (a rename must never publish a file whose bytes are still in flight)."""
    data = text.encode("utf-8") if isinstance(text, str) else text
    with open(path, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())


def write_text(path: Path, text: str) -> None:
    """Write `text` to `path` atomically, with ordinary permissions (mkstemp alone would leave 0600)."""
    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        _write_file(Path(tmp), text)
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _copy_file(source: Path, target: Path) -> None:
    shutil.copy2(source, target)  # keeps the modification time: an unchanged file stays unchanged


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(a: Path, b: Path) -> bool:
    """Swap two folders in one atomic step (Linux renameat2); False where the system cannot."""
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (AttributeError, OSError):
        return False
    if renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP, errno.EOPNOTSUPP):  # e.g. a file system without it
        return False
    raise OSError(code, os.strerror(code), str(b))


def _swap(staging: Path, folder: Path, old: Path) -> Path:
    """Put `staging` in the place of `folder`; returns where the old folder now is (to be discarded)."""
    if _exchange(staging, folder):
        return staging  # the names were exchanged: staging holds the old folder
    # Two renames: a kill between them leaves no year folder but `old`, which recover() puts back.
    os.rename(folder, old)
    try:
        os.rename(staging, folder)
    except BaseException:
        os.rename(old, folder)
        raise
    return old


def _discard(path: Path) -> None:
    shutil.rmtree(path, ignore_errors=True)


def replace_folder(folder: Path, files: dict[str, str | bytes], new: bool = False,
                   remove: set[str] | frozenset[str] = frozenset()) -> None:
    """Make `folder` hold `files` (name → content) and, unless `new`, its other files as they are but those
    named in `remove`: all of it appears at once or not at all. With `new` the folder must not exist yet."""
    folder = Path(folder)
    root = folder.parent
    staging = Path(tempfile.mkdtemp(prefix=f".{folder.name}{STAGING}", dir=root))
    try:
        if not new:
            for entry in folder.iterdir():
                if entry.name not in files and entry.name not in remove:
                    if entry.is_dir() and not entry.is_symlink():
                        shutil.copytree(entry, staging / entry.name, symlinks=True, copy_function=shutil.copy2)
                    else:
                        _copy_file(entry, staging / entry.name)
        for name, content in files.items():
            _write_file(staging / name, content)
            os.chmod(staging / name, 0o666 & ~_umask())
        os.chmod(staging, (folder.stat().st_mode & 0o7777) if not new else 0o777 & ~_umask())
        _fsync_dir(staging)
        if new:
            os.rename(staging, folder)  # fails if the folder appeared meanwhile: nothing is overwritten
        else:
            free = Path(tempfile.mkdtemp(prefix=f".{folder.name}{OLD}", dir=root))
            os.rmdir(free)  # a unique name for the old folder, free for the rename
            old = _swap(staging, folder, free)
    except BaseException:
        _discard(staging)
        raise
    # The new folder is in place: what follows is tidying, and a failure there is no failure of the write
    # (recover() removes what is left).
    try:
        if not new:
            _discard(old)
        _fsync_dir(root)
    except OSError:
        pass


def leftovers(root: Path) -> list[Path]:
    """What interrupted writes left in a data directory."""
    root = Path(root)
    if not root.is_dir():
        return []
    return sorted(p for p in root.iterdir() if p.name.startswith(".") and (STAGING in p.name or OLD in p.name))


def recover(root: Path) -> list[str]:
    """Finish what an interrupted write left: a year folder missing while its old copy exists is put back (the
    write is rolled back); every staging or old copy is removed. Returns what was done, for a note."""
    done = []
    for path in leftovers(root):
        name = path.name[1:]
        marker = OLD if OLD in name else STAGING
        year = name.split(marker)[0]
        target = Path(root) / year
        if marker == OLD and not os.path.lexists(target):
            os.rename(path, target)
            done.append(f"restored {target.name}/ as it was before an interrupted write")
        else:
            _discard(path)
            done.append(f"removed {path.name}, left by an interrupted write")
    return done
