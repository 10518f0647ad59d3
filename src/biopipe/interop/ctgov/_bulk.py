"""Bulk ClinicalTrials.gov import: files, folders, globs, JSON Lines and zip archives, in batches, in parallel.

The inputs are read as a stream of raw records — where each record's bytes are (a
file, or a member of a zip archive found from its local header), or the bytes of
one line of JSON Lines — and cut into batches of at most *batch_size* records (and
a few tens of megabytes). Each batch is read, parsed and imported on its own, in
this process or in a worker process; batches come back in input order, so the
result does not depend on the number of workers. At most two batches a worker are
in flight, so memory is bounded by the batch size, not by the corpus.

Labels name where a record came from: ``NCT01234567.json``, ``search.json#studies[3]``,
``studies.jsonl:12`` (line 12) and ``ctgov.zip:NCT01234567.json`` (a member of
an archive). A failure's path is the label, then the path in the record:
``ctgov.zip:NCT01234567.json: protocolSection.statusModule.overallStatus``.
"""

from __future__ import annotations

import gc
import glob
import io
import json
import multiprocessing
import os
import re
import struct
import zipfile
import zlib
from collections import Counter, deque
from collections.abc import Callable, Mapping
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, NamedTuple

import attrs

from ...document._fast import structure_trials, unstructure_trial
from ...document._jsonio import _limited, _parse_record
from ...model._errors import Problem, ValidationError
from ...model._trial import Trial
from ._study import UNMAPPED_KINDS, Unmapped, _import_study

if TYPE_CHECKING:
    from collections.abc import Generator, Iterable, Iterator, Sequence
    from concurrent.futures import Future

__all__ = ["INPUT_SUFFIXES", "ImportBatch", "ImportedRecord", "input_files", "iter_import"]

#: The files a folder is searched for (recursively), and that a zip archive's members may be.
INPUT_SUFFIXES = (".json", ".jsonl", ".ndjson", ".zip")
_LINES = (".jsonl", ".ndjson")
#: A batch closes at this many bytes of raw records, whatever its count (search-response pages are large).
_BATCH_BYTES = 32 << 20
_GLOB = re.compile(r"[*?[]")
_NOT_A_STUDY = "a ClinicalTrials.gov study (a JSON object with protocolSection)"


@attrs.frozen(kw_only=True)
class ImportedRecord:
    """One record read: where it came from, the trial it became, and what of it did not map.

    Its JSON document names the trial by ``key`` (the trial itself is in the imported biopipe document).

    >>> import biopipe
    >>> from biopipe.interop.ctgov import ImportedRecord
    >>> ImportedRecord(source="a.json", trial=biopipe.example("js212").trials[0]).key
    'Phase 1/2 study of JS212 in patients with advanced solid tumors'
    """

    document_properties: ClassVar[tuple[str, ...]] = ("key",)

    source: str
    trial: Trial = attrs.field(metadata={"document": False})
    unmapped: tuple[Unmapped, ...] = ()

    @property
    def key(self) -> str:
        """The trial's key (its NCT id when it has one)."""
        return self.trial.key


@attrs.frozen(kw_only=True)
class ImportBatch:
    """One batch of an import, in input order: the records imported and the records that failed.

    ``read`` counts the records read (imported or failed; a file that cannot
    be read or parsed counts as one failed record), ``failed`` those that
    failed, ``unmapped`` the unmapped parts by `Unmapped.kind`. ``records``
    carry their unmapped parts only when asked (``details=True``): the parts
    keep the parsed record alive. ``output`` is what the *convert* function
    of `iter_import` made of the batch's trials, in the worker.

    >>> from biopipe.interop.ctgov import ImportBatch
    >>> ImportBatch(read=2, failed=1).imported
    1
    """

    records: tuple[ImportedRecord, ...] = ()
    failures: tuple[Problem, ...] = ()
    read: int = 0
    failed: int = 0
    unmapped: Mapping[str, int] = attrs.field(factory=dict)
    output: Any = None

    @property
    def imported(self) -> int:
        """The number of records imported."""
        return self.read - self.failed


# -- inputs ------------------------------------------------------------------------------------

_Input = Path | Problem


def input_files(paths: Iterable[str | os.PathLike[str]]) -> Iterator[Path | Problem]:
    """The files named by *paths*, in order: files as given, folders searched, globs expanded.

    A folder yields its ``*.json``, ``*.jsonl``, ``*.ndjson`` and ``*.zip`` files at any
    depth, sorted by path; a glob (``data/**/*.json``) its matches, sorted. A name that is
    none of these is a `Problem`, in its place.

    >>> import tempfile, pathlib
    >>> from biopipe.interop.ctgov import input_files
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     for name in ("b/2.json", "a.jsonl", "b/notes.txt"):
    ...         (pathlib.Path(tmp) / name).parent.mkdir(exist_ok=True)
    ...         _ = (pathlib.Path(tmp) / name).write_text("{}")
    ...     [p.relative_to(tmp).as_posix() for p in input_files([tmp])]
    ['a.jsonl', 'b/2.json']
    >>> [str(p) for p in input_files(["no/such/file.json"])]
    ["no/such/file.json: got 'no/such/file.json', expected a file, folder or glob that names files"]
    """
    for item in paths:
        name = os.fspath(item)
        path = Path(name)
        if path.is_dir():
            yield from _folder(path)
        elif path.exists():
            yield path
        elif _GLOB.search(name):
            matches = sorted(glob.glob(name, recursive=True))
            if not matches:
                yield Problem(name, name, "a glob that matches files")
            for match in matches:
                found = Path(match)
                if found.is_dir():
                    yield from _folder(found)
                else:
                    yield found
        else:
            yield Problem(name, name, "a file, folder or glob that names files")


def _folder(folder: Path) -> Iterator[Path]:
    found = [p for p in folder.rglob("*") if p.suffix.lower() in INPUT_SUFFIXES and p.is_file()]
    yield from sorted(found)


class _Part(NamedTuple):
    """Where a record's bytes are: *size* bytes at *offset* in the file *path* (-1: to the end).

    Batches carry these rather than the bytes, so that workers read (and decompress) their own
    records and the bytes do not travel between processes. *length* is the record's size once
    read, *method* its zip compression (stored or deflated), *crc* its CRC-32 (None: unchecked).
    """

    path: str
    offset: int
    size: int
    length: int
    method: int = 0
    crc: int | None = None


class _Unreadable(Exception):
    """A record's bytes could not be read; the argument says what was expected."""


def _read_part(part: _Part) -> bytes:
    try:
        with open(part.path, "rb") as f:
            f.seek(part.offset)
            stored = f.read(part.size)
    except OSError as e:
        raise _Unreadable(f"a readable file ({e.strerror or e})") from None
    if part.size >= 0 and len(stored) < part.size:
        raise _Unreadable("a zip member as long as its header says (the archive is cut short)")
    try:
        data = zlib.decompress(stored, -15) if part.method == _DEFLATED else stored
    except zlib.error as e:
        raise _Unreadable(f"a readable zip member ({e})") from None
    if part.crc is not None and zlib.crc32(data) != part.crc:
        raise _Unreadable("a zip member whose CRC-32 matches its content")
    return data


# A raw record: its label and its bytes (or where they are), or the problem that stopped it from being read.
_Raw = tuple[str, bytes | _Part | Problem]


def _raw_records(paths: Iterable[str | os.PathLike[str]]) -> Iterator[_Raw]:
    for found in input_files(paths):
        if isinstance(found, Problem):
            yield found.path, found
            continue
        label = str(found)
        try:
            suffix = found.suffix.lower()
            if suffix == ".zip":
                yield from _zip_records(found, label)
            elif suffix in _LINES:
                with found.open("rb") as f:
                    yield from _lines(f, label)
            else:
                yield label, _Part(label, 0, -1, found.stat().st_size)
        except OSError as e:
            yield label, Problem(label, label, f"a readable file ({e.strerror or e})")
        except zipfile.BadZipFile as e:
            yield label, Problem(label, label, f"a zip archive ({e})")


def _lines(f: Iterable[bytes], label: str) -> Iterator[_Raw]:
    for number, line in enumerate(f, 1):
        if line.strip():
            yield f"{label}:{number}", line


def _zip_records(path: Path, label: str) -> Iterator[_Raw]:
    """The records of a zip archive, member by member in archive order, read without unpacking it.

    The members are read in one pass over their local headers (`_stream_zip`), so memory does
    not grow with the number of members (`zipfile.ZipFile` holds the whole central directory:
    about 0.55 kB a member, 300 MB for the registry's 560,000 studies). A member the pass cannot
    read alone (sizes after its data, zip64, another compression) hands the rest of the archive
    to `zipfile`.
    """
    for name, data in _stream_zip(path):
        lower = name.lower()
        if name.endswith("/") or not lower.endswith((".json", *_LINES)):
            continue
        member = f"{label}:{name}"
        if isinstance(data, Problem):
            yield member, attrs.evolve(data, path=member)
        elif lower.endswith(_LINES):
            try:
                content = _read_part(data) if isinstance(data, _Part) else data
            except _Unreadable as e:
                yield member, Problem(member, member, str(e))
                continue
            yield from _lines(io.BytesIO(content), member)
        else:
            yield member, data


_LOCAL_HEADER = struct.Struct("<4s2B4HL2L2H")  # zipfile.structFileHeader
_STORED, _DEFLATED = 0, 8


def _stream_zip(path: Path) -> Iterator[tuple[str, bytes | _Part | Problem]]:
    """(name, where its content is) of each member of a zip archive, in archive order, from its local headers."""
    with path.open("rb") as f:
        while True:
            offset = f.tell()
            header = f.read(_LOCAL_HEADER.size)
            if len(header) < _LOCAL_HEADER.size or header[:4] != b"PK\x03\x04":
                if offset == 0:  # no member first: an empty archive, data before the members, or no zip
                    yield from _zip_from(path, 0)
                return  # the central directory (or the end): every member has been read
            _, _, _, flags, method, _, _, crc, size, length, name_length, extra_length = _LOCAL_HEADER.unpack(header)
            raw_name = f.read(name_length)
            f.seek(extra_length, os.SEEK_CUR)
            name = raw_name.decode("utf-8" if flags & 0x800 else "cp437")
            if flags & 0x08 or size == 0xFFFFFFFF or method not in (_STORED, _DEFLATED):
                yield from _zip_from(path, offset)  # sizes after the data, zip64 or another method
                return
            start = f.tell()
            f.seek(start + size)  # the content is read where the record is imported
            if flags & 0x01:
                yield name, Problem(name, name, "a member that is not encrypted")
            else:
                yield name, _Part(str(path), start, size, length, method, crc)


def _zip_from(path: Path, offset: int) -> Iterator[tuple[str, bytes | _Part | Problem]]:
    """The members from the one whose local header is at *offset* on, read by `zipfile`."""
    with zipfile.ZipFile(path) as archive:
        for info in archive.infolist():
            if info.header_offset < offset or info.is_dir():
                continue
            try:
                yield info.filename, archive.read(info)
            except (zipfile.BadZipFile, NotImplementedError, RuntimeError, zlib.error) as e:
                yield info.filename, Problem(info.filename, info.filename, f"a readable zip member ({e})")


def _batches(raw: Iterator[_Raw], size: int) -> Iterator[list[_Raw]]:
    batch: list[_Raw] = []
    volume = 0
    for item in raw:
        batch.append(item)
        data = item[1]
        volume += len(data) if isinstance(data, bytes) else data.length if isinstance(data, _Part) else 0
        if len(batch) >= size or volume >= _BATCH_BYTES:
            yield batch
            batch, volume = [], 0
    if batch:
        yield batch


# -- one batch ---------------------------------------------------------------------------------


@attrs.frozen
class _Options:
    lenient: bool
    keep_source_terms: bool
    details: bool
    strict: bool
    convert: Callable[[tuple[Trial, ...]], Any] | None


def _at(label: str, problem: Problem) -> Problem:
    """*problem* of the record labelled *label*, its path prefixed by the label, its value bounded."""
    path = f"{label}: {problem.path}" if problem.path else label
    return attrs.evolve(problem, path=path, value=_limited(problem.value))


def _studies(label: str, doc: object) -> list[tuple[str, object]]:
    """The studies in one parsed record: itself, or each of a search response's ``studies``."""
    if type(doc) is dict and "protocolSection" not in doc and isinstance(doc.get("studies"), list):
        return [(f"{label}#studies[{i}]", study) for i, study in enumerate(doc["studies"])]
    return [(label, doc)]


def _import_batch(batch: Sequence[_Raw], options: _Options) -> ImportBatch:
    """Parse and import every record of *batch* (in strict mode, up to the first that fails).

    The cyclic garbage collector pauses meanwhile, as in `biopipe.loads`: a batch makes many
    objects and no cycles, and each collection would walk the batch's trials again.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _import_records(batch, options)
    finally:
        if enabled:
            gc.enable()


def _import_records(batch: Sequence[_Raw], options: _Options) -> ImportBatch:
    records: list[ImportedRecord] = []
    failures: list[Problem] = []
    read = failed = 0
    kinds: Counter[str] = Counter()
    for label, data in batch:
        if failed and options.strict:
            break
        if isinstance(data, Problem):
            read, failed = read + 1, failed + 1
            failures.append(data)
            continue
        if isinstance(data, _Part):
            try:
                data = _read_part(data)
            except _Unreadable as e:
                read, failed = read + 1, failed + 1
                failures.append(Problem(label, label, str(e)))
                continue
        try:
            # Nesting is checked only where parts of the record are kept (details); otherwise the record is
            # read at fixed paths, the rest counted without walking into it, and a failure's value bounded.
            doc = _parse_record(data, subject=label, limits=options.details)
        except ValidationError as e:
            read, failed = read + 1, failed + 1
            failures += [_at(label, p) for p in e.problems]
            continue
        for study_label, study in _studies(label, doc):
            if failed and options.strict:
                break
            read += 1
            if not isinstance(study, Mapping):
                failed += 1
                failures.append(Problem(study_label, _limited(study), _NOT_A_STUDY))
                continue
            try:
                trial, unmapped, counts = _import_study(
                    study, keep_source_terms=options.keep_source_terms, lenient=options.lenient, details=options.details
                )
            except ValidationError as e:
                failed += 1
                failures += [_at(study_label, p) for p in e.problems]
                continue
            kinds.update(counts)
            records.append(ImportedRecord(source=study_label, trial=trial, unmapped=unmapped))
    output = None
    if options.convert is not None:
        output = options.convert(tuple(r.trial for r in records))
        records = []
    by_kind = {kind: kinds[kind] for kind in UNMAPPED_KINDS if kinds[kind]}
    return ImportBatch(
        records=tuple(records), failures=tuple(failures), read=read, failed=failed, unmapped=by_kind, output=output
    )


# Between processes, trials travel as JSON: pickling attrs instances costs several times more than
# writing their JSON in the worker and reading it (with the generated fast path) here.
# (the batch without its records, the trials' JSON, each record's source and, with details, unmapped parts)
_Wire = tuple[ImportBatch, bytes, tuple[str, ...], tuple[tuple[Unmapped, ...], ...] | None]


def _import_batch_in_worker(batch: Sequence[_Raw], options: _Options) -> _Wire:
    result = _import_batch(batch, options)
    data = _dump([unstructure_trial(r.trial) for r in result.records])
    sources = tuple(r.source for r in result.records)
    unmapped = tuple(r.unmapped for r in result.records) if options.details else None
    return attrs.evolve(result, records=()), data, sources, unmapped


def _from_wire(wire: _Wire) -> ImportBatch:
    bare, data, sources, unmapped = wire
    trials = structure_trials(_load(data))
    parts = unmapped if unmapped is not None else ((),) * len(trials)
    records = tuple(
        ImportedRecord(source=s, trial=t, unmapped=u) for s, t, u in zip(sources, trials, parts, strict=True)
    )
    return attrs.evolve(bare, records=records)


def _dump(value: object) -> bytes:
    from ...document._jsonio import _orjson

    orjson = _orjson()
    if orjson is not None:
        data: bytes = orjson.dumps(value)
        return data
    return json.dumps(value, ensure_ascii=False).encode("utf-8")


def _load(data: bytes) -> Any:
    """Read back what `_dump` wrote (trusted: it never left this import)."""
    from ...document._jsonio import _orjson

    orjson = _orjson()
    return json.loads(data) if orjson is None else orjson.loads(data)


# -- the stream of batches ---------------------------------------------------------------------


def iter_import(
    paths: Iterable[str | os.PathLike[str]],
    *,
    batch_size: int = 500,
    workers: int = 1,
    strict: bool = False,
    lenient: bool = False,
    keep_source_terms: bool = False,
    details: bool = False,
    convert: Callable[[tuple[Trial, ...]], Any] | None = None,
) -> Generator[ImportBatch, None, None]:
    r"""Import every study in *paths*, yielding `ImportBatch` values in input order.

    *paths* are files (one study, a search response ``{"studies": [...]}``, JSON Lines
    with one study a line, or a zip archive of such files such as the registry's bulk
    download, read member by member without unpacking), folders (searched recursively)
    and globs; see `input_files`.

    A bad record is a failure of its batch, named by its label and its path in the
    record, and the import goes on; with *strict*, the first bad record raises a
    `ValidationError` instead (the batches before it have been yielded). *workers*
    above 1 imports batches in that many processes; the batches and their records come
    in the same order as with one. *details* keeps each record's unmapped parts (they
    hold on to the parsed record; without it only their counts by kind are kept).

    *convert*, a function of a batch's trials, runs where the batch was imported (in the
    worker) and its result is the batch's ``output``; the records are then not returned.
    With workers it must be picklable (a module-level function or a `functools.partial`
    of one). `import_to_parquet` writes tables this way. Closing the generator early
    (``close()``) stops the workers.

    >>> import json, tempfile, pathlib
    >>> from biopipe.interop.ctgov import iter_import
    >>> study = {"protocolSection": {"identificationModule": {"nctId": "NCT00000001", "briefTitle": "A"},
    ...                              "statusModule": {"overallStatus": "COMPLETED"}}}
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     lines = pathlib.Path(tmp, "studies.jsonl")
    ...     _ = lines.write_text(json.dumps(study) + "\n" + '{"protocolSection": 1}\n')
    ...     [batch] = iter_import([lines])
    >>> [r.key for r in batch.records], batch.read, batch.failed
    (['NCT00000001'], 2, 1)
    >>> print(batch.failures[0].path.rpartition("/")[2])
    studies.jsonl:2: protocolSection
    """
    if batch_size < 1:
        raise ValueError(f"batch_size must be at least 1, not {batch_size}")
    if workers < 1:
        raise ValueError(f"workers must be at least 1, not {workers}")
    options = _Options(lenient, keep_source_terms, details, strict, convert)
    batches = _batches(_raw_records(paths), batch_size)
    results = _serial(batches, options) if workers == 1 else _parallel(batches, options, workers)
    for result in results:
        if strict and result.failed:
            raise ValidationError(list(result.failures), subject="ClinicalTrials.gov records")
        yield result


def _serial(batches: Iterator[list[_Raw]], options: _Options) -> Iterator[ImportBatch]:
    for batch in batches:
        yield _import_batch(batch, options)


def _parallel(batches: Iterator[list[_Raw]], options: _Options, workers: int) -> Iterator[ImportBatch]:
    # forkserver (or spawn) rather than fork: the parent may run threads (pyarrow's), which fork would copy mid-state.
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=context)
    pending: deque[Future[_Wire]] = deque()
    try:
        for batch in batches:
            pending.append(pool.submit(_import_batch_in_worker, batch, options))
            # Two batches a worker in flight keep every worker busy and bound memory.
            while len(pending) >= 2 * workers:
                yield _from_wire(pending.popleft().result())
        while pending:
            yield _from_wire(pending.popleft().result())
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
