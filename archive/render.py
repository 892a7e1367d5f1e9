"""Rendered output: text for people, JSON, JSON Lines and CSV for scripts.

Text output colours matched words and labels only when writing to a terminal and ``NO_COLOR``
is unset (the command line's ``--color`` decides otherwise); without colour, matched words are
shown in [brackets]. Text wraps at word boundaries to the ``width`` given (the terminal's),
never splitting a word, and not at all without one (piped). Machine formats never carry colour
or markers.

Articles are untrusted: text output drops the terminal control sequences and control
characters they may hold (an article cannot retitle, clear or recolour the user's terminal),
and CSV output prefixes with ``'`` every cell a spreadsheet would run as a formula (one
starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return). JSON escapes control
characters itself.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import textwrap
from collections.abc import Iterable
from typing import IO, Any

from .dates import shown_date
from .files import plural
from .fields import LIST_FIELDS, SHOWN_FIELDS
from .models import MATCH_END, MATCH_START, SearchResult
from .store import split_values

FORMATS = ("text", "json", "jsonl", "csv")
HIT_FACETS = LIST_FIELDS
HIT_COLUMNS = ("id", "title", "date", "source", "author", "url", "language", "path", "score", "snippet", *HIT_FACETS)
BOLD, DIM, YELLOW, RESET = "\x1b[1m", "\x1b[2m", "\x1b[1;33m", "\x1b[0m"
# Escape sequences (CSI and OSC with their parameters, in 7-bit and 8-bit form, and
# two-character ones), then single control characters other than tab and newline, C1
# controls and invalid lone surrogates.
TERMINAL_SEQUENCES = re.compile(
    r"(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]?"
    r"|(?:\x1b\]|\x9d)[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?"
    r"|\x1b[ -~]?"
    r"|[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]"
)
MARKERS = re.compile(f"([{MATCH_START}{MATCH_END}])")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def terminal_safe(text: str) -> str:
    """Text without terminal control sequences or control characters (tabs and newlines stay)."""
    if text.isprintable():  # (every sequence removed starts with a character that is not)
        return text
    return TERMINAL_SEQUENCES.sub("", text)


def inline(text: str) -> str:
    """Text for one line of terminal output: control sequences dropped, whitespace collapsed."""
    return " ".join(terminal_safe(text).split())


def spreadsheet_safe(value: Any) -> Any:
    """A CSV cell that a spreadsheet shows as text: a leading formula character gets a ``'``."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def use_color(stream: IO[str]) -> bool:
    """Colour only on a terminal, and never when ``NO_COLOR`` is set."""
    return "NO_COLOR" not in os.environ and hasattr(stream, "isatty") and stream.isatty()


def plain(snippet: str) -> str:
    """A snippet without match markers."""
    return snippet.replace(MATCH_START, "").replace(MATCH_END, "")


def hit_record(fields: dict[str, Any], score: float | None, snippet: str) -> dict[str, Any]:
    """A hit as a flat record with facet lists, for JSON and CSV."""
    record: dict[str, Any] = {
        "id": fields.get("id"),
        "title": fields.get("title", ""),
        "date": fields.get("date_iso") or None,
        "source": fields.get("source") or None,
        "author": fields.get("author") or None,
        "url": fields.get("url") or None,
        "language": fields.get("language") or None,
        "path": fields.get("path"),
        "score": None if score is None else round(score, 4),
        "snippet": " ".join(plain(snippet).split()),
    }
    for name in HIT_FACETS:
        record[name] = split_values(fields.get(name))
    return record


def render_records(records: list[dict[str, Any]], fmt: str, columns: Iterable[str] | None = None) -> str:
    """Records as JSON (a list), JSON Lines or CSV (lists joined with "; ")."""
    if fmt == "json":
        return json.dumps(records, ensure_ascii=False, indent=2) + "\n"
    if fmt == "jsonl":
        return "".join(json.dumps(record, ensure_ascii=False) + "\n" for record in records)
    if fmt == "csv":
        names = list(columns or (records[0].keys() if records else []))
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=names, extrasaction="ignore", lineterminator="\n")
        writer.writeheader()
        for record in records:
            writer.writerow(
                {key: spreadsheet_safe("; ".join(value) if isinstance(value, list) else value) for key, value in record.items()}
            )
        return buffer.getvalue()
    raise ValueError(f"unknown format {fmt!r}")


def wrapped(text: str, width: int | None, indent: str = "") -> list[str]:
    """Text as lines of at most ``width`` characters, broken between words only (a longer word
    stays whole on its line); one line when ``width`` is None."""
    if width is None:
        return [indent + text] if text else []
    return textwrap.wrap(
        text, width=max(width, len(indent) + 10), initial_indent=indent, subsequent_indent=indent,
        break_long_words=False, break_on_hyphens=False,
    )


def render_search(result: SearchResult, fmt: str, *, color: bool = False, offset: int = 0, width: int | None = None) -> str:
    """Search results in the chosen format: JSON is ``{"total", "offset", "hits"}``; JSON Lines
    and CSV one hit a line; text wraps to ``width`` (not at all when None)."""
    records = [hit_record(hit.fields, hit.score, hit.snippet) for hit in result.hits]
    if fmt == "json":
        return json.dumps({"total": result.total, "offset": offset, "hits": records}, ensure_ascii=False, indent=2) + "\n"
    if fmt != "text":
        return render_records(records, fmt, HIT_COLUMNS)
    if not result.hits:
        return ""
    lines = []
    for number, (hit, record) in enumerate(zip(result.hits, records), start=offset + 1):
        title = inline(record["title"] or "") or "(untitled)"
        lines.extend(_style(line, BOLD, color) for line in wrapped(f"{number}. {title}", width))
        about = [inline(str(part)) for part in (shown_date(record["date"]), record["source"], record["url"], record["path"]) if part]
        about.append(f"id {inline(str(record['id']))}")
        lines.extend(_style(line, DIM, color) for line in wrapped(" · ".join(about), width, "   "))
        for name in SHOWN_FIELDS:
            if record[name]:
                values = [inline(value) for value in record[name][:8]]
                lines.extend(wrapped(f"{name}: " + ", ".join(values) + (" …" if len(record[name]) > 8 else ""), width, "   "))
        snippet = _marked_snippet(hit.snippet)
        snippet = snippet.replace(MATCH_START, "\x00" if color else "[").replace(MATCH_END, "\x01" if color else "]")
        # colour codes go in after wrapping, so that they do not count as width
        lines.extend(line.replace("\x00", YELLOW).replace("\x01", RESET) for line in wrapped(snippet, width, "   "))
        lines.append("")
    shown = f"{offset + 1}-{offset + len(result.hits)}" if result.hits else "0"
    lines.append(f"{shown} of {plural(result.total, 'article')}")
    return "\n".join(lines) + "\n"


def _marked_snippet(snippet: str) -> str:
    """A snippet on one line, made terminal-safe while keeping its match markers."""
    pieces = MARKERS.split(snippet)
    return " ".join("".join(piece if MARKERS.fullmatch(piece) else terminal_safe(piece) for piece in pieces).split())


def render_counts(counts: list[tuple[str, int]], fmt: str, field_name: str, *, color: bool = False) -> str:
    """Facet value counts in the chosen format."""
    if fmt != "text":
        return render_records([{"value": value, "count": count} for value, count in counts], fmt, ("value", "count"))
    if not counts:
        return ""
    width = max(len(str(count)) for _, count in counts)
    lines = [f"{count:>{width}}  {inline(value)}" for value, count in counts]
    return "\n".join(lines) + "\n"


def render_article(record: dict[str, Any], fmt: str, *, color: bool = False, width: int | None = None) -> str:
    """One article with every field; the body wraps to ``width`` (paragraphs on one line each when None)."""
    if fmt in ("json", "jsonl"):
        return json.dumps(record, ensure_ascii=False, indent=2 if fmt == "json" else None) + "\n"
    if fmt == "csv":
        return render_records([record], fmt)
    lines = [_style(inline(record.get("title") or "") or "(untitled)", BOLD, color), ""]
    for name in ("id", "date", "author", "source", "url", "language", "path"):
        if record.get(name):
            value = shown_date(record[name]) if name == "date" else str(record[name])
            lines.append(f"{name + ':':<15}{inline(value)}")
    for other in (record.get("locations") or [])[1:]:  # the same article found in other files
        lines.append(f"{'also at:':<15}{inline(str(other))}")
    for name in HIT_FACETS:
        if record.get(name):
            lines.append(f"{name + ':':<15}{', '.join(inline(value) for value in record[name])}")
    lines.append("")
    for paragraph in terminal_safe(record.get("body") or "").split("\n\n"):
        lines.extend(wrapped(" ".join(paragraph.split()), width) or [""])
        lines.append("")
    return "\n".join(lines)


def render_stats(stats: dict[str, Any], fmt: str) -> str:
    """Index statistics."""
    if fmt in ("json", "jsonl"):
        return json.dumps(stats, ensure_ascii=False, indent=2 if fmt == "json" else None) + "\n"
    if fmt == "csv":
        flat = {key: value for key, value in stats.items() if key != "distinct"}
        flat.update({f"distinct_{key}": value for key, value in stats["distinct"].items()})
        return render_records([flat], fmt)
    lines = [
        f"index:        {inline(str(stats['index']))}",
        f"articles:     {stats['articles']}",
        f"size:         {_human_size(stats['size_bytes'])}",
        f"dates:        {stats['first_date'] or '-'} .. {stats['last_date'] or '-'}",
        "distinct values:",
    ]
    lines.extend(f"  {name:<14}{count}" for name, count in stats["distinct"].items())
    return "\n".join(lines) + "\n"


def render_extracted(records: list[dict[str, Any]], fmt: str) -> str:
    """Extracted articles (``archive extract``): JSON, JSON Lines, CSV or a text summary."""
    if fmt != "text":
        return render_records(records, fmt)
    blocks = []
    for record in records:
        lines = [inline(record["title"] or "") or "(untitled)", f"  path: {inline(record['path'])}"]
        for name in ("date", "author", "source", "url", "language"):
            if record.get(name):
                lines.append(f"  {name}: {inline(record[name])}")
        for name in SHOWN_FIELDS:
            lines.append(f"  {name}: {', '.join(inline(value) for value in record.get(name) or []) or '-'}")
        lines.append(f"  body: {len(record['body'].split())} words")
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks) + ("\n" if blocks else "")


def _style(text: str, code: str, color: bool) -> str:
    """Wrap text in an ANSI style when colour is on."""
    return f"{code}{text}{RESET}" if color else text


def _human_size(size: int) -> str:
    """Bytes as a short human figure."""
    value = float(size)
    for unit in ("B", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{size} B"


TABLE_CELL_CHARS = 60
BAR_WIDTH = 50


def select_fields(records: list[dict[str, Any]], fields: list[str] | None, known: Iterable[str]) -> tuple[list[dict[str, Any]], list[str]]:
    """Records cut down to ``fields`` (in that order) and the column names; all of ``known`` when none are given.

    An unknown field name raises :class:`ValueError` naming the known ones.
    """
    known = list(known)
    if not fields:
        return records, known
    unknown = [name for name in fields if name not in known]
    if unknown:
        raise ValueError(f"unknown field {unknown[0]!r}: choose from {', '.join(known)}")
    return [{name: record.get(name) for name in fields} for record in records], list(fields)


def render_table(records: list[dict[str, Any]], columns: Iterable[str]) -> str:
    """Records as an aligned text table with a header (lists joined with ", ", long cells cut)."""
    names = list(columns)
    if not names:
        return ""

    def cell(value: Any) -> str:
        if value is None:
            return ""
        text = ", ".join(str(item) for item in value) if isinstance(value, list) else str(value)
        text = inline(text)
        return text if len(text) <= TABLE_CELL_CHARS else text[: TABLE_CELL_CHARS - 1] + "…"

    rows = [[cell(record.get(name)) for name in names] for record in records]
    widths = [max([len(name)] + [len(row[number]) for row in rows]) for number, name in enumerate(names)]
    numeric = [all(isinstance(record.get(name), (int, float)) or record.get(name) is None for record in records) and records != [] for name in names]

    def line(cells: list[str]) -> str:
        return "  ".join(
            (text.rjust(width) if right else text.ljust(width)) for text, width, right in zip(cells, widths, numeric)
        ).rstrip()

    output = [line([name.upper() for name in names]), line(["-" * width for width in widths])]
    output.extend(line(row) for row in rows)
    return "\n".join(output) + "\n"


def render_output(records: list[dict[str, Any]], fmt: str, columns: Iterable[str]) -> str:
    """Records in a machine format or as a table (``fmt`` "table")."""
    if fmt == "table":
        return render_table(records, columns)
    return render_records(records, fmt, columns)


def render_timeline(timeline: Any, fmt: str, *, color: bool = False, width: int = BAR_WIDTH) -> str:
    """A :class:`archive.reader.Timeline` as a bar chart (text) or period/count records."""
    records = [{"period": period, "count": count} for period, count in timeline.periods]
    if fmt == "json":
        data = {"by": timeline.by, "total": timeline.total, "undated": timeline.undated, "periods": records}
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    if fmt in ("jsonl", "csv", "table"):
        return render_output(records, fmt, ("period", "count"))
    if not records:
        return ""
    most = max(count for _, count in timeline.periods) or 1
    label_width = max(len(period) for period, _ in timeline.periods)
    count_width = len(str(most))
    lines = []
    unit = {"day": ("empty day", "empty days"), "week": ("empty week", "empty weeks"),
            "month": ("empty month", "empty months"), "year": ("empty year", "empty years")}.get(timeline.by, ("empty period", "empty periods"))
    for period, count in _collapse_empty(timeline.periods):
        if count is None:  # a run of empty periods, collapsed
            lines.append(f"{'…':<{label_width}}  {'':>{count_width}}  … {plural(int(period), *unit)} …")
            continue
        units = count * width / most
        bar = "█" * int(units) + ("▌" if units - int(units) >= 0.5 else "")
        if count and not bar:
            bar = "▏"
        lines.append(f"{period:<{label_width}}  {count:>{count_width}}  {_style(bar, YELLOW, color) if bar else ''}".rstrip())
    lines.append(plural(timeline.total, "article") + (f" ({timeline.undated} undated, not shown)" if timeline.undated else ""))
    return "\n".join(lines) + "\n"


EMPTY_RUN = 3  # a run of more empty periods than this is shown as one line


def _collapse_empty(periods: list[tuple[str, int]]) -> list[tuple[str, int | None]]:
    """Periods with each run of more than :data:`EMPTY_RUN` empty ones replaced by
    ``(str(run length), None)``."""
    shown: list[tuple[str, int | None]] = []
    run: list[tuple[str, int]] = []
    for period, count in [*periods, ("", -1)]:
        if count == 0:
            run.append((period, count))
            continue
        if len(run) > EMPTY_RUN:
            shown.append((str(len(run)), None))
        else:
            shown.extend(run)
        run = []
        if count > 0:
            shown.append((period, count))
    return shown


EXPORT_COLUMNS = (
    "id", "title", "date", "author", "source", "url", "language", "path",
    *LIST_FIELDS, "body",
)


def stream_records(records: Iterable[dict[str, Any]], fmt: str, columns: Iterable[str], stream: IO[str]) -> int:
    """Write records one by one as JSON Lines, a JSON list or CSV; returns how many were written."""
    names = list(columns)
    written = 0
    writer = None
    if fmt == "json":
        stream.write("[")
    for record in records:
        if fmt == "jsonl":
            stream.write(json.dumps(record, ensure_ascii=False) + "\n")
        elif fmt == "json":
            stream.write(("," if written else "") + "\n  " + json.dumps(record, ensure_ascii=False))
        elif fmt == "csv":
            if writer is None:
                writer = csv.DictWriter(stream, fieldnames=names, extrasaction="ignore", lineterminator="\n")
                writer.writeheader()
            writer.writerow({key: spreadsheet_safe("; ".join(value) if isinstance(value, list) else value) for key, value in record.items()})
        else:
            raise ValueError(f"unknown format {fmt!r}")
        written += 1
    if fmt == "json":
        stream.write("\n]\n" if written else "]\n")
    if fmt == "csv" and writer is None:
        csv.DictWriter(stream, fieldnames=names, lineterminator="\n").writeheader()
    return written
