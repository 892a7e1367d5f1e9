"""Sources: finding files, formats, header blocks, JSON field mapping and read errors."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from archive.errors import SourceError
from archive.models import RawRecord
from archive.sources import article_format, find_files, iter_records, split_header


def write(path: Path, content: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def test_article_format_by_suffix() -> None:
    assert article_format(Path("a.txt")) == "text"
    assert article_format(Path("a.md")) == "text"
    assert article_format(Path("a.HTML")) == "html"
    assert article_format(Path("a.htm.gz")) == "html"
    assert article_format(Path("a.jsonl")) == "jsonl"
    assert article_format(Path("a.ndjson")) == "jsonl"
    assert article_format(Path("a.json")) == "json"
    assert article_format(Path("a.pdf")) is None
    assert article_format(Path("README")) is None


def test_find_files_recurses_in_name_order_and_skips_docs(tmp_path: Path) -> None:
    write(tmp_path / "b.txt", "B\n\nbody")
    write(tmp_path / "sub" / "a.html", "<p>x</p>")
    write(tmp_path / "README.md", "# docs")
    write(tmp_path / ".hidden.txt", "x")
    write(tmp_path / "notes.pdf", "x")
    found = list(find_files([tmp_path]))
    assert [p.name for p in found] == ["b.txt", "a.html"]


def test_find_files_reports_missing_and_unsupported(tmp_path: Path) -> None:
    pdf = write(tmp_path / "x.pdf", "x")
    found = list(find_files([tmp_path / "missing", pdf]))
    assert all(isinstance(item, SourceError) for item in found)
    assert "no such file" in found[0].reason
    assert "unsupported" in found[1].reason


def test_find_files_survives_symlink_loop(tmp_path: Path) -> None:
    write(tmp_path / "a.txt", "A\n\nbody")
    (tmp_path / "loop").symlink_to(tmp_path)
    assert [p.name for p in find_files([tmp_path]) if isinstance(p, Path)] == ["a.txt"]


def test_text_header_block() -> None:
    meta, body = split_header("Title: Hello\nDate: 2024-01-02\nAuthor: Ann\n\nFirst line.\n\nSecond.")
    assert meta == {"title": "Hello", "date": "2024-01-02", "author": "Ann"}
    assert body == "First line.\n\nSecond."


def test_text_front_matter_and_first_line_title() -> None:
    meta, body = split_header("---\ntitle: \"Front\"\nsource: Desk\n---\n\nBody text.")
    assert meta == {"title": "Front", "source": "Desk"}
    assert body == "Body text."
    meta, body = split_header("\n\nThe Title Line\n\nParagraph one.\n")
    assert meta == {"title": "The Title Line"}
    assert body == "Paragraph one."


def test_header_without_title_takes_first_body_line() -> None:
    meta, body = split_header("Date: 2024-03-03\n\nOpening sentence.\nSecond sentence.")
    assert meta == {"date": "2024-03-03", "title": "Opening sentence."}
    assert body == "Second sentence."


def read_file(path: Path) -> tuple[list[RawRecord], list[SourceError]]:
    """Every record of a file and the problems met in parts of it (raises for a bad file)."""
    items = list(iter_records(path))
    return [item for item in items if isinstance(item, RawRecord)], [item for item in items if isinstance(item, SourceError)]


def test_json_list_maps_common_fields(articles_dir: Path) -> None:
    records = read_file(articles_dir / "ecb-rates.json")[0]
    assert len(records) == 2
    first, second = records
    assert first.meta["title"].startswith("European Central Bank")
    assert first.meta["author"] == "Test Desk"
    assert first.meta["source"] == "Example Business Wire"
    assert first.meta["date"] == "2024-04-11T14:30:00Z"
    assert first.key == "https://news.example.org/ecb-holds-rates"
    assert second.meta == {
        "title": "Tokyo marathon draws record field",
        "date": "March 3, 2024",
        "author": "Sports Desk",
        "url": "https://sport.example.org/tokyo-marathon",
        "source": "Example Sport",
    }


def test_json_lines_bad_line_reported_good_lines_kept(articles_dir: Path) -> None:
    records, problems = read_file(articles_dir / "wire.jsonl")
    assert len(records) == 2
    assert len(problems) == 1
    assert "line 2" in problems[0].reason and "malformed JSON" in problems[0].reason


def test_json_body_with_markup_is_html(tmp_path: Path) -> None:
    path = write(tmp_path / "a.json", json.dumps({"title": "T", "body": "<p>Hello <b>world</b></p>"}))
    assert read_file(path)[0][0].kind == "html"


def test_gzip_html(tmp_path: Path) -> None:
    path = write(tmp_path / "page.html.gz", gzip.compress(b"<html><body><p>Hi</p></body></html>"))
    record = read_file(path)[0][0]
    assert record.kind == "html" and "<p>Hi</p>" in record.content


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("empty.txt", "", "empty file"),
        ("blank.json", "   \n", "empty file"),
        ("bad.json", "{\"title\": ", "malformed JSON"),
        ("number.json", "42", "expected an article object"),
        ("numbers.json", "[1, 2]", "expected an article object"),
        ("nobody.json", "{\"title\": \"Only a title\"}", "no body text"),
        ("emptylist.json", "[]", "no articles"),
        ("broken.html.gz", b"\x1f\x8b\x08\x00garbage", "broken gzip"),
        ("binary.txt", b"\x00\x01\x02\x03binary\x00\x00", "binary"),
    ],
)
def test_bad_files_raise_clear_errors(tmp_path: Path, name: str, content: str | bytes, reason: str) -> None:
    path = write(tmp_path / name, content)
    with pytest.raises(SourceError) as raised:
        read_file(path)
    assert reason in str(raised.value)
    assert str(path) in str(raised.value)
