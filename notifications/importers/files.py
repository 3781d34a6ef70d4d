"""Import inputs: files on disk (the command), in storage (the upload screen) or inside a ZIP."""

from __future__ import annotations

import csv
import io
import itertools
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import IO, Any

from .records import RowError
from .report import ImportReport

# Far larger than any real notification field; guards against a runaway unterminated quote.
csv.field_size_limit(10 * 1024 * 1024)


@dataclass
class InputFile:
    name: str
    opener: Callable[[], IO[bytes]]

    def read_bytes(self) -> bytes:
        with self.opener() as handle:
            return handle.read()


def _open_binary(path: Path) -> IO[bytes]:
    return path.open("rb")


def _zip_members(name: str, data: bytes) -> list[InputFile]:
    result = []
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for info in archive.infolist():
            if info.is_dir() or info.filename.startswith("__MACOSX/") or Path(info.filename).name.startswith("."):
                continue
            content = archive.read(info)
            result.append(InputFile(f"{name}:{info.filename}", partial(io.BytesIO, content)))
    return result


def expand(files: Iterable[InputFile]) -> list[InputFile]:
    """Unpack ZIP archives; other files pass through."""
    result: list[InputFile] = []
    for item in files:
        if item.name.lower().endswith(".zip"):
            result.extend(_zip_members(item.name, item.read_bytes()))
        else:
            result.append(item)
    return result


def from_paths(paths: Iterable[str | Path], suffixes: tuple[str, ...]) -> list[InputFile]:
    """Files named on the command line; a directory stands for its files with the given suffixes."""
    result: list[InputFile] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            for child in sorted(path.iterdir()):
                if child.is_file() and child.suffix.lower() in suffixes:
                    result.append(InputFile(str(child), partial(_open_binary, child)))
        else:
            result.append(InputFile(str(path), partial(_open_binary, path)))
    return expand(result)


def decode(item: InputFile, report: ImportReport) -> str | None:
    try:
        return item.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        report.error(file=item.name, line=None, code="bad_encoding", processed=False)
        return None
    except OSError:
        report.error(file=item.name, line=None, code="missing_file", processed=False, name=item.name)
        return None


# Where a row the file itself breaks (a short row, a broken quote) is kept among the rows, so that it
# is counted and reported in its place: ``{ROW_ERROR: RowError(...)}``.
ROW_ERROR = "__error__"
# How many lines one record may span when looking for the next row after a broken quote; a real
# multi-line value (a description with paragraphs) is far shorter.
MAX_RECORD_LINES = 200


@dataclass
class CsvTable:
    name: str
    header: list[str]
    rows: list[tuple[int, dict[str, Any]]]


@dataclass
class _Shape:
    """What a line must look like to be read as a row: the header's width, required cells filled."""

    width: int
    required: list[int]

    def is_row(self, values: list[str] | None) -> bool:
        return values is not None and len(values) == self.width and all(values[i].strip() for i in self.required)


def _line_alone(line: str) -> list[str] | None:
    """A physical line parsed on its own; None when it is no complete CSV record by itself."""
    try:
        return next(csv.reader([line], strict=True), [])
    except csv.Error:
        return None


def _swallows_rows(lines: list[str], first: int, last: int, shape: _Shape) -> bool:
    """Whether a record spanning lines ``first``..``last`` (0-based) holds, inside a quoted value,
    whole lines that read as rows of the file: a quote opened by mistake that a stray quote further
    down happened to close. A real multi-line value has prose there, not a row's cells."""
    return any(shape.is_row(_line_alone(lines[i])) for i in range(first + 1, last + 1))


def _next_row_start(lines: list[str], start: int, shape: _Shape) -> int:
    """The first line from ``start`` (0-based) where a record that reads as a row begins (it may
    span several lines); len(lines) when there is none."""
    for index in range(start, len(lines)):
        if not lines[index].strip():
            continue
        reader = csv.reader(itertools.islice(lines, index, index + MAX_RECORD_LINES), strict=True)
        try:
            values = next(reader, None)
        except csv.Error:
            continue
        last = index + reader.line_num - 1
        if shape.is_row(values) and not _swallows_rows(lines, index, last, shape):
            return index
    return len(lines)


def _last_text_line(lines: list[str], start: int, stop: int) -> int | None:
    """The 1-based number of the last non-blank line among start..stop-1 (0-based), if any."""
    return next((i + 1 for i in range(stop - 1, start - 1, -1) if lines[i].strip()), None)


def read_csv(
    item: InputFile, text: str, report: ImportReport, *, required: Iterable[str], kind: str
) -> CsvTable | None:
    """Rows with the line where each starts. A missing required column refuses the whole file. A row
    the file breaks is kept as ``{ROW_ERROR: RowError}`` and reading goes on: a short row (a
    truncated file); a quote opened and never closed, or closed where a quote cannot end (reading
    resumes at the next line that reads as a row, and the lines passed over are named)."""
    # The reader is strict: a lenient one lets a stray opening quote swallow the rest of the file
    # into one value, silently.
    lines = io.StringIO(text, newline="").readlines()
    reader = csv.reader(lines, strict=True)
    try:
        header = [h.strip() for h in next(reader)]
    except StopIteration:
        report.error(
            file=item.name, line=1, code="missing_columns", kind=kind, processed=False, columns=sorted(required)
        )
        return None
    except csv.Error as exc:
        report.error(file=item.name, line=1, code="bad_csv", kind=kind, processed=False, detail=str(exc))
        return None
    lowered = [h.lower() for h in header]
    missing = [c for c in required if c.lower() not in lowered]
    if missing:
        report.error(file=item.name, line=1, code="missing_columns", kind=kind, processed=False, columns=missing)
        return None
    shape = _Shape(len(header), [lowered.index(c.lower()) for c in required])
    rows: list[tuple[int, dict[str, Any]]] = []
    index = reader.line_num  # 0-based: the next line to read
    while index < len(lines):
        reader = csv.reader(itertools.islice(lines, index, None), strict=True)
        broken: tuple[int, str] | None = None  # (0-based first line of the broken record, code)
        while True:
            first = index + reader.line_num
            try:
                values = next(reader)
            except StopIteration:
                break
            except csv.Error as exc:
                # Closed where a quote cannot end, on the line it was opened: a misplaced quote.
                # Anything else (end of file inside quotes, closed lines later): never closed.
                same_line = index + reader.line_num - 1 == first
                broken = (first, "bad_quote" if same_line and "expected after" in str(exc) else "unclosed_quote")
                break
            last = index + reader.line_num - 1
            if not values or all(not v.strip() for v in values):
                continue
            if last > first and _swallows_rows(lines, first, last, shape):
                broken = (first, "unclosed_quote")
                break
            if len(values) < len(header):
                # Counted in the total by the readers: a refused row is still a row of the file.
                error = RowError("incomplete_row", found=len(values), expected=len(header))
                rows.append((first + 1, {ROW_ERROR: error}))
                continue
            rows.append((first + 1, dict(zip(lowered, values, strict=False))))
        if broken is None:
            break
        first, code = broken
        index = _next_row_start(lines, first + 1, shape)
        last_skipped = _last_text_line(lines, first + 1, index)
        error = RowError(code) if last_skipped is None else RowError(f"{code}_skipped", last=last_skipped)
        rows.append((first + 1, {ROW_ERROR: error}))
    return CsvTable(item.name, lowered, rows)
