"""The catalog of one models folder: find, verify, pull, add and remove model files.

A file is used only after it hashed to its entry's pinned sha256; the
(size, mtime_ns) it had then is remembered, and it is hashed again only when
those change. Pulled files grow under ``.partial/`` and are renamed into the
folder once verified, so the loader never sees half a file.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import NoReturn

from hearth.errors import ModelError, ModelHashMismatch, ModelNotFound
from hearth.models._builtin import BUILTIN_MODELS
from hearth.models._entries import (
    CatalogEntry,
    HubFile,
    LocalFile,
    PackageAssembler,
    PackageFile,
    PackageParts,
)
from hearth.models._files import PARTIAL_DIR, partial_path, pip_install, sha256_file
from hearth.models._hub import download
from hearth.models._info import ModelInfo, file_status
from hearth.models._packages import (
    assemble,
    install_package,
    join,
    packaged_file,
    part_files,
)
from hearth.models._state import BenchRecord, FileRecord, StateFile


class Catalog:
    """The built-in entries plus those added to `models_dir`, and their verified files."""

    def __init__(self, models_dir: Path, *, extra: Iterable[CatalogEntry] = ()) -> None:
        self.models_dir = models_dir
        self.state = StateFile(models_dir)
        self._extra = {e.name: e for e in extra}

    # --- entries -------------------------------------------------------------------

    def entries(self) -> dict[str, CatalogEntry]:
        """Every entry by name: built-in first, then added ones."""
        found = {e.name: e for e in BUILTIN_MODELS}
        if self.state.path.exists():
            found.update(self.state.read().entries)
        found.update(self._extra)
        return found

    def entry(self, name: str) -> CatalogEntry:
        """The entry called `name`; `ModelNotFound` lists the known names otherwise."""
        entries = self.entries()
        if name not in entries:
            raise ModelNotFound(f"no model called {name!r} in the catalog; known: "
                                f"{', '.join(entries)} (see `hearth models list`)")
        return entries[name]

    def info(self, name: str) -> ModelInfo:
        """Entry, file status and measured speed of `name`, without hashing anything."""
        entry = self.entry(name)
        state = self.state.read()
        path = self._existing_file(entry)
        record = state.files.get(name)
        return ModelInfo(entry=entry, path=path, status=file_status(path, record),
                         sha256=entry.sha256 or (record.sha256 if record else None),
                         size=entry.size or (record.size if record else None),
                         bench=state.bench.get(name))

    # --- files ---------------------------------------------------------------------

    def _target(self, entry: CatalogEntry) -> Path:
        source = entry.source
        if isinstance(source, LocalFile):
            return Path(source.path)
        if isinstance(source, PackageFile):
            return packaged_file(entry.name, source)
        return self.models_dir / source.filename

    def _existing_file(self, entry: CatalogEntry) -> Path | None:
        try:
            path = self._target(entry)
        except ModelNotFound:
            return None
        return path if path.is_file() else None

    def path(self, name: str) -> Path:
        """The verified file of `name`.

        A packaged model that assembles locally (gemma3-270m) is assembled on
        first use; anything else must have been pulled. A file whose digest is
        no longer the pinned one raises `ModelHashMismatch` naming the fix.
        """
        entry = self.entry(name)
        if isinstance(entry.source, PackageAssembler) and self._existing_file(entry) is None:
            return self.pull(name, install=False)
        path = self._existing_file(entry)
        if path is None:
            hint = ("run `make setup`" if entry.default else f"run `hearth models pull {name}`")
            raise ModelNotFound(f"model {name!r} is not on this machine (looked for "
                                f"{self._target_text(entry)}); {hint}")
        return self.verify(entry, path)

    def _target_text(self, entry: CatalogEntry) -> str:
        try:
            return str(self._target(entry))
        except ModelNotFound:
            return f"the package of {entry.source_text}"

    def verify(self, entry: CatalogEntry, path: Path) -> Path:
        """Return `path` if it hashes to the entry's digest; remember that it did."""
        stat = path.stat()
        record = self.state.read().files.get(entry.name)
        pinned = entry.sha256 or (record.sha256 if record else None)
        if (record is not None and record.path == str(path) and record.sha256 == pinned
                and (record.size, record.mtime_ns) == (stat.st_size, stat.st_mtime_ns)):
            return path
        if entry.size is not None and stat.st_size != entry.size:
            self._mismatch(entry, path, f"{entry.size} bytes", f"{stat.st_size} bytes")
        actual = sha256_file(path)
        if pinned is not None and actual != pinned:
            self._mismatch(entry, path, pinned, actual)
        self._record(entry, path, actual)
        return path

    def _mismatch(self, entry: CatalogEntry, path: Path, expected: str, actual: str, *,
                  fetched: bool = False, pinned_by: str = "the catalog pins") -> NoReturn:
        name = entry.name
        if fetched:
            what = (f"model {name!r} refused: the fetched file is {actual[:16]}, "
                    f"{pinned_by} {expected[:16]}; nothing was kept")
            fix = ("the source may have changed or the transfer was damaged: pull again, "
                   "or check the pinned digest")
        else:
            what = (f"model {name!r} refused: {path} is {actual[:16]}, {pinned_by} "
                    f"{expected[:16]} (the file changed or is damaged)")
            fix = (f"put the original file back, or `hearth models remove {name}` and "
                   f"`hearth models add {path} --name {name}` to accept the new one"
                   if isinstance(entry.source, LocalFile) else
                   f"run `hearth models pull {name}` to fetch it again, or "
                   f"`hearth models remove {name}`")
        raise ModelHashMismatch(f"{what}; {fix}", name=name, path=str(path),
                                expected=expected, actual=actual)

    def check_path(self, path: Path) -> Path:
        """Verify a file given by path if the catalog recorded it under some name."""
        entries = self.entries()
        for name, record in self.state.read().files.items():
            if record.path == str(path) and name in entries:
                return self.verify(entries[name], path)
        return path

    def installed(self) -> list[str]:
        """Names whose files are on this machine and hash to their pinned digests."""
        names = []
        for name, entry in self.entries().items():
            path = self._existing_file(entry)
            if path is None:
                continue
            try:
                self.verify(entry, path)
            except ModelError:
                continue
            names.append(name)
        return names

    # --- changes -------------------------------------------------------------------

    def pull(self, name: str, *, install: bool = True) -> Path:
        """Get `name`'s file, verify it, and record it; return its path.

        With `install`, missing packages are pip-installed first. Only one
        process pulls a name at a time; the others wait and find it done.
        """
        entry = self.entry(name)
        self.models_dir.mkdir(parents=True, exist_ok=True)
        with self.state.lock(f"pull-{name}"):
            source = entry.source
            if isinstance(source, PackageFile):
                return self._pull_packaged(entry, source, install=install)
            if isinstance(source, LocalFile):
                return self.verify(entry, Path(source.path))
            target = self.models_dir / source.filename
            if target.is_file():
                with contextlib.suppress(ModelHashMismatch):
                    return self.verify(entry, target)
            with self._partial(entry, source.filename) as partial:
                digest = self._fetch(entry, partial, install=install)
                self._check_new(entry, partial, digest)
                os.replace(partial, target)
            self._record(entry, target, digest)
            return target

    def _pull_packaged(self, entry: CatalogEntry, source: PackageFile, *,
                       install: bool) -> Path:
        if install:
            install_package(source)
        path = packaged_file(entry.name, source)
        try:
            return self.verify(entry, path)
        except ModelHashMismatch:
            if not install:
                raise
        pip_install(["--force-reinstall", "--no-deps", source.distribution])
        return self.verify(entry, packaged_file(entry.name, source))

    @contextlib.contextmanager
    def _partial(self, entry: CatalogEntry, filename: str) -> Iterator[Path]:
        """A staging file; removed on any failure except a download that may resume."""
        partial = partial_path(self.models_dir, filename)
        try:
            yield partial
        except BaseException as exc:
            resumable = isinstance(entry.source, HubFile) and not isinstance(
                exc, ModelHashMismatch)
            if not resumable:
                partial.unlink(missing_ok=True)
                partial.with_name(partial.name + ".etag").unlink(missing_ok=True)
            raise
        finally:
            with contextlib.suppress(OSError):
                (self.models_dir / PARTIAL_DIR).rmdir()  # only when empty

    def _fetch(self, entry: CatalogEntry, partial: Path, *, install: bool) -> str:
        """Write the entry's file to `partial`; return its sha256."""
        source = entry.source
        if isinstance(source, PackageParts):
            return join(part_files(entry.name, source, install=install), partial)
        if isinstance(source, PackageAssembler):
            if install:
                install_package(source)
            assemble(entry.name, source, partial)
            return sha256_file(partial)
        if not isinstance(source, HubFile):
            raise TypeError(f"{entry.name}: nothing to fetch for a {source.kind} source")
        got = download(entry.name, source, partial)
        actual = sha256_file(partial)
        if got.hub_sha256 is not None and actual != got.hub_sha256:
            self._mismatch(entry, partial, got.hub_sha256, actual, fetched=True,
                           pinned_by="the hub announced")
        return actual

    def _check_new(self, entry: CatalogEntry, partial: Path, digest: str) -> None:
        """Refuse a fetched file whose size or digest is not the pinned one."""
        size = partial.stat().st_size
        if entry.size is not None and size != entry.size:
            self._mismatch(entry, partial, f"{entry.size} bytes", f"{size} bytes",
                           fetched=True)
        if entry.sha256 is not None and digest != entry.sha256:
            self._mismatch(entry, partial, entry.sha256, digest, fetched=True)

    def _record(self, entry: CatalogEntry, path: Path, digest: str) -> None:
        stat = path.stat()
        with self.state.update() as state:
            state.files[entry.name] = FileRecord(path=str(path), sha256=digest,
                                                 size=stat.st_size, mtime_ns=stat.st_mtime_ns)

    def add(self, entry: CatalogEntry) -> CatalogEntry:
        """Add a user entry (a local file or a hub file) to this folder's catalog.

        A local file is hashed now and pinned; a hub entry is pinned at its
        first pull. Built-in names cannot be replaced. Returns the stored entry.
        """
        if any(e.name == entry.name for e in BUILTIN_MODELS):
            raise ModelError(f"{entry.name!r} is a built-in model; choose another --name")
        self.models_dir.mkdir(parents=True, exist_ok=True)
        if isinstance(entry.source, LocalFile):
            path = Path(entry.source.path)
            if not path.is_file():
                raise ModelNotFound(f"{path} is not a file; give the path of a GGUF model")
            with path.open("rb") as f:
                if f.read(4) != b"GGUF":
                    raise ModelNotFound(f"{path} is not a GGUF file (llama.cpp runs only GGUF)")
            stat = path.stat()
            entry = entry.model_copy(update={"sha256": sha256_file(path), "size": stat.st_size})
        with self.state.update() as state:
            state.entries[entry.name] = entry
            state.files.pop(entry.name, None)
            state.bench.pop(entry.name, None)
        if isinstance(entry.source, LocalFile) and entry.sha256 is not None:
            self._record(entry, Path(entry.source.path), entry.sha256)  # no second hash
        return entry

    def remove(self, name: str) -> str:
        """Forget `name`'s file (deleting it only if the catalog made it); say what was done."""
        entry = self.entry(name)
        source = entry.source
        done = "forgot it"
        if isinstance(source, PackageAssembler | PackageParts | HubFile):
            target = self.models_dir / source.filename
            if target.exists():
                target.unlink()
                done = f"deleted {target}"
            if isinstance(source, PackageParts):
                done += (f"; the part packages stay installed (`pip uninstall "
                         f"{' '.join(source.distributions)}` frees their space)")
            partial = self.models_dir / PARTIAL_DIR / f"{source.filename}.partial"
            partial.unlink(missing_ok=True)
            partial.with_name(partial.name + ".etag").unlink(missing_ok=True)
        elif isinstance(source, PackageFile):
            done = (f"forgot its verification; the file belongs to the {source.distribution} "
                    f"package (`pip uninstall {source.distribution}` removes it)")
        else:
            done = f"removed it from the catalog; {source.path} itself is left alone"
        with self.state.update() as state:
            state.files.pop(name, None)
            state.bench.pop(name, None)
            state.entries.pop(name, None)
        return done

    def record_bench(self, name: str, record: BenchRecord) -> None:
        """Store speeds measured for `name` with its entry."""
        self.entry(name)
        with self.state.update() as state:
            state.bench[name] = record
