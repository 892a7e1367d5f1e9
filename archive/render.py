"""Rendered output: text for people, JSON, JSON Lines and CSV for scripts.

Text output colours matched words and labels only when writing to a terminal and ``NO_COLOR``
is unset; without colour, matched words are shown in [brackets]. Machine formats never carry
colour or markers.
"""

from __future__ import annotations

import csv
import io
import json
import os
import textwrap
from collections.abc import Iterable
from typing import IO, Any

from .query import MATCH_END, MATCH_START, SearchResult
from .store import split_values

FORMATS = ("text", "json", "jsonl", "csv")
HIT_FACETS = ("people", "organizations", "actors", "places", "countries", "topics")
HIT_COLUMNS = ("id", "title", "date", "source", "author", "url", "language", "path", "score", "snippet", *HIT_FACETS)
BOLD, DIM, YELLOW, RESET = "\x1b[1m", "\x1b[2m", "\x1b[1;33m", "\x1b[0m"


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
            writer.writerow({key: "; ".join(value) if isinstance(value, list) else value for key, value in record.items()})
        return buffer.getvalue()
    raise ValueError(f"unknown format {fmt!r}")


def render_search(result: SearchResult, fmt: str, *, color: bool = False, offset: int = 0) -> str:
    """Search results in the chosen format."""
    records = [hit_record(hit.fields, hit.score, hit.snippet) for hit in result.hits]
    if fmt != "text":
        return render_records(records, fmt, HIT_COLUMNS)
    if not result.hits:
        return ""
    lines = []
    for number, hit in enumerate(result.hits, start=offset + 1):
        record = hit_record(hit.fields, hit.score, hit.snippet)
        title = record["title"] or "(untitled)"
        lines.append(f"{_style(f'{number}. {title}', BOLD, color)}")
        about = [part for part in (record["date"], record["source"], record["path"]) if part]
        about.append(f"id {record['id']}")
        lines.append("   " + _style(" · ".join(about), DIM, color))
        for name in ("people", "organizations", "places", "countries", "topics"):
            if record[name]:
                lines.append(f"   {name}: " + ", ".join(record[name][:8]) + (" …" if len(record[name]) > 8 else ""))
        snippet = " ".join(hit.snippet.split())
        snippet = snippet.replace(MATCH_START, YELLOW if color else "[").replace(MATCH_END, RESET if color else "]")
        lines.extend(textwrap.wrap(snippet, width=100, initial_indent="   ", subsequent_indent="   ", break_on_hyphens=False))
        lines.append("")
    shown = f"{offset + 1}-{offset + len(result.hits)}" if result.hits else "0"
    lines.append(f"{shown} of {result.total} articles")
    return "\n".join(lines) + "\n"


def render_counts(counts: list[tuple[str, int]], fmt: str, field_name: str, *, color: bool = False) -> str:
    """Facet value counts in the chosen format."""
    if fmt != "text":
        return render_records([{"value": value, "count": count} for value, count in counts], fmt, ("value", "count"))
    if not counts:
        return ""
    width = max(len(str(count)) for _, count in counts)
    lines = [f"{count:>{width}}  {value}" for value, count in counts]
    return "\n".join(lines) + "\n"


def render_article(record: dict[str, Any], fmt: str, *, color: bool = False) -> str:
    """One article with every field."""
    if fmt in ("json", "jsonl"):
        return json.dumps(record, ensure_ascii=False, indent=2 if fmt == "json" else None) + "\n"
    if fmt == "csv":
        return render_records([record], fmt)
    lines = [_style(record.get("title") or "(untitled)", BOLD, color), ""]
    for name in ("id", "date", "author", "source", "url", "language", "path"):
        if record.get(name):
            lines.append(f"{name + ':':<15}{record[name]}")
    for name in HIT_FACETS:
        if record.get(name):
            lines.append(f"{name + ':':<15}{', '.join(record[name])}")
    lines.append("")
    for paragraph in (record.get("body") or "").split("\n\n"):
        lines.extend(textwrap.wrap(paragraph, width=100) or [""])
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
        f"index:        {stats['index']}",
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
        lines = [record["title"] or "(untitled)", f"  path: {record['path']}"]
        for name in ("date", "author", "source", "url", "language"):
            if record.get(name):
                lines.append(f"  {name}: {record[name]}")
        for name in ("people", "organizations", "places", "countries", "topics"):
            lines.append(f"  {name}: {', '.join(record[name]) or '-'}")
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
