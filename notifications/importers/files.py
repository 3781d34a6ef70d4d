"""Import inputs: files on disk (the command), in storage (the upload screen) or inside a ZIP."""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import IO, Any

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


@dataclass
class CsvTable:
    name: str
    header: list[str]
    rows: list[tuple[int, dict[str, Any]]]


def read_csv(
    item: InputFile, text: str, report: ImportReport, *, required: Iterable[str], kind: str
) -> CsvTable | None:
    """Rows with their line numbers. A missing required column refuses the whole file; a short row
    (a truncated file) or unreadable CSV is reported and reading stops there, keeping earlier rows."""
    reader = csv.reader(io.StringIO(text, newline=""))
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
    rows: list[tuple[int, dict[str, Any]]] = []
    while True:
        try:
            values = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            report.error(
                file=item.name, line=reader.line_num, code="bad_csv", kind=kind, processed=False, detail=str(exc)
            )
            break
        if not values or all(not v.strip() for v in values):
            continue
        if len(values) < len(header):
            # Counted in the total below: a refused row is still a row of the file.
            rows.append((reader.line_num, {"__incomplete__": (len(values), len(header))}))
            continue
        rows.append((reader.line_num, dict(zip(lowered, values, strict=False))))
    return CsvTable(item.name, lowered, rows)
