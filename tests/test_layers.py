"""The layers' basics and services, tested directly: the one list of facet fields, typed errors
and where they map, name folding, atomic writes, the open Archive and its reader, saved
searches, the catalog and the web application object."""

from __future__ import annotations

import io
import os
from pathlib import Path

import click
import pytest

from archive import api
from archive.catalog import Catalog, FileState, canonical_id, locations
from archive.cli import cli
from archive.errors import ArchiveError, BadQuery, IndexBusy, IndexMissing, NotFound, SourceError
from archive.fields import BY_NAME, ENTITY_FIELDS, FIELD_NAMES, FIELDS, LIST_FIELDS, option_of
from archive.files import write_atomically
from archive.folding import fold_key, strip_accents
from archive.query import Filters
from archive.saved import check_name, delete_search, get_search, load_saved, mark_run, save_search
from archive.store import KEYWORD_FIELDS, build_schema
from archive.web.app import PAGE_SIZE, WebApp


def test_every_facet_field_is_in_the_schema_the_cli_and_the_web() -> None:
    assert KEYWORD_FIELDS == FIELD_NAMES
    schema = build_schema()
    options = {param.name for param in cli.commands["search"].params}
    for field in FIELDS:
        assert field.name in schema.names()
        assert field.option in options  # --person, --org, ...
    assert len({field.option for field in FIELDS}) == len(FIELDS)
    assert set(ENTITY_FIELDS) <= set(LIST_FIELDS) <= set(FIELD_NAMES)
    assert option_of("people") == "person" and option_of("title") == "title"
    facet_choice = next(param for param in cli.commands["facets"].params if param.name == "field")
    assert isinstance(facet_choice.type, click.Choice) and tuple(facet_choice.type.choices) == FIELD_NAMES


def test_errors_carry_their_exit_code_and_http_status() -> None:
    assert issubclass(SourceError, ArchiveError)
    assert (NotFound.http_status, IndexMissing.http_status, IndexBusy.http_status, BadQuery.http_status) == (404, 503, 503, 400)
    assert all(kind.exit_code == 1 for kind in (NotFound, IndexMissing, IndexBusy, BadQuery))
    problem = SourceError("a\nb.txt", "empty file", 2)
    assert str(problem) == "a\\x0ab.txt: empty file" and problem.count == 2
    import pickle

    again = pickle.loads(pickle.dumps(problem))
    assert (again.path, again.reason, again.count) == (problem.path, problem.reason, problem.count)


@pytest.mark.parametrize(
    ("written", "plain"),
    [("Søren Kierkegaard", "soren kierkegaard"), ("Kılıçdaroğlu", "kilicdaroglu"), ("Łódź", "lodz"), ("Straße", "strasse"),
     ("Ærø", "aero"), ("São  Paulo", "sao paulo"), ("Erdoğan’s", "erdogan's"), ("MÜLLER", "muller")],
)
def test_fold_key_ignores_case_accents_and_lookalike_letters(written: str, plain: str) -> None:
    assert fold_key(written) == plain
    assert fold_key(plain) == plain


def test_strip_accents_keeps_case() -> None:
    assert strip_accents("Łódź Müller") == "Lodz Muller"
    assert strip_accents("plain") == "plain"


def test_write_atomically_replaces_whole_or_not_at_all(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "state.json"
    write_atomically(target, "first\n")
    write_atomically(target, b"second\n")
    assert target.read_bytes() == b"second\n"

    def failing(source: object, destination: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", failing)
    with pytest.raises(OSError):
        write_atomically(target, "third\n")
    assert target.read_bytes() == b"second\n"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["state.json"]  # no temporary file left


def test_archive_keeps_one_reader_until_the_index_or_curation_changes(index_copy: Path) -> None:
    from archive.curation import Curation, save_curation

    with api.Archive(index_copy) as archive:
        with archive.reader() as first:
            pass
        archive.search("gaza")
        with archive.reader() as again:
            assert again is first  # display names and curation reused across calls
        save_curation(index_copy, Curation(drop={"people": ["Benny Gantz"]}))
        with archive.reader() as curated:
            assert curated is not first
        assert "Benny Gantz" not in dict(archive.facets("people"))


def test_module_functions_open_the_index_or_reuse_an_archive(index_copy: Path) -> None:
    with api.Archive(index_copy) as archive:
        first = archive.search(None, limit=1).hits[0].fields["id"]
        assert api.show(first, index_path=archive)["id"] == first
        assert api.show(first[:6], index_path=index_copy)["id"] == first
        with pytest.raises(NotFound):
            archive.show("ffffffffffffffff")
        count, records = archive.export("gaza")
        assert count == len(list(records)) == archive.search("gaza").total
    stats = api.stats(index_path=index_copy)
    assert stats["articles"] == api.search(None, index_path=index_copy).total
    with pytest.raises(IndexMissing):
        api.search("gaza", index_path=index_copy / "missing")


def test_saved_searches_round_trip(index_copy: Path) -> None:
    filters = Filters(values={"people": ("gantz",)})
    saved = save_search(index_copy, "gantz", "ceasefire", filters, sort="date", seen=["a", "b"])
    assert get_search(index_copy, "gantz") == saved == load_saved(index_copy)["gantz"]
    assert saved.as_filters() == filters
    assert saved.describe() == "'ceasefire' --person 'gantz' --sort date"
    marked = mark_run(index_copy, "gantz", ["c"])
    assert marked.seen == ("c",) and marked.last_run
    delete_search(index_copy, "gantz")
    with pytest.raises(NotFound):
        get_search(index_copy, "gantz")
    with pytest.raises(ArchiveError):
        check_name("no spaces")
    with pytest.raises(IndexMissing):
        save_search(index_copy / "missing", "x", None, Filters())


def test_catalog_records_files_duplicates_and_locations(tmp_path: Path) -> None:
    with Catalog(tmp_path) as catalog:
        assert catalog.is_empty()
        catalog.add_article("a1", "/pile/a.txt", "pile/a.txt", "body-1")
        catalog.add_article("b1", "/pile/sub/b.json", "pile/sub/b.json", "body-1")  # the same body again
        catalog.add_article("c1", "/pile/c.txt", "pile/c.txt", "body-2")
        catalog.set_file("/pile/a.txt", FileState(10, 123, "hash-a"))
        catalog.commit()
        assert [holder.id for holder in catalog.holders("body-1")] == ["a1", "b1"]
        assert catalog.file_state("/pile/a.txt") == FileState(10, 123, "hash-a")
        assert catalog.article_count("/pile/a.txt") == 1 and catalog.articles_of("/pile/c.txt") == ["c1"]
        assert sorted(catalog.files_under(["/pile/sub"])) == ["/pile/sub/b.json"]
        catalog.remove_article("a1")
        catalog.forget_file("/pile/a.txt")
        catalog.commit()
        assert [holder.id for holder in catalog.holders("body-1")] == ["b1"] and catalog.file_state("/pile/a.txt") is None
    assert canonical_id(tmp_path, "b1") is None  # now the canonical one itself
    assert [place.path for place in locations(tmp_path, "b1")] == ["pile/sub/b.json"]


def call(app: WebApp, path: str, query: str = "", method: str = "GET") -> tuple[str, str]:
    """One request to the WSGI application, without a server."""
    answer: list[str] = []
    environ = {"REQUEST_METHOD": method, "PATH_INFO": path, "QUERY_STRING": query, "wsgi.input": io.BytesIO()}
    body = b"".join(app(environ, lambda status, headers: answer.append(status)))
    return answer[0], body.decode("utf-8")


def test_web_application_maps_typed_errors_to_statuses(index_copy: Path) -> None:
    with api.Archive(index_copy) as archive:
        app = WebApp(archive)
        status, page = call(app, "/", "q=ceasefire")
        assert status == "200 OK" and "ceasefire" in page.lower()
        assert call(app, "/article/ffffffffffffffff")[0] == "404 Not Found"
        assert call(app, "/", "since=March")[0] == "400 Bad Request"
        assert call(app, "/", "", method="POST")[0] == "405 Method Not Allowed"
        first = archive.search(None, limit=1).hits[0].fields
        status, page = call(app, f"/article/{first['id']}")
        assert status == "200 OK" and BY_NAME["people"].label in page


@pytest.mark.parametrize("command", ["ingest", "enrich"])
@pytest.mark.parametrize("where", ["before", "after"])
def test_quiet_before_or_after_the_command_hides_progress(tmp_path: Path, articles_dir: Path, where: str, command: str) -> None:
    """On a terminal, ingest and enrich show a progress line unless -q is given, before or after the command."""
    import subprocess
    import sys

    def stderr_on_a_terminal(*args: str) -> str:
        master, slave = os.openpty()
        try:
            subprocess.run(
                [sys.executable, "-c", "from archive.cli import main; main()", "--index", str(tmp_path / f"index-{len(args)}"), *args],
                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=slave, timeout=300, check=False,
            )
            os.close(slave)
            chunks = []
            while True:
                try:
                    chunk = os.read(master, 65536)
                except OSError:  # the terminal is closed and drained
                    break
                if not chunk:
                    break
                chunks.append(chunk)
            return b"".join(chunks).decode("utf-8", "replace")
        finally:
            os.close(master)

    def run(*options: str, output: str) -> str:
        written = ("--output", str(tmp_path / output)) if command == "enrich" else ()
        if where == "before":
            return stderr_on_a_terminal(*options, command, "--jobs", "1", *written, str(articles_dir))
        return stderr_on_a_terminal(command, *options, "--jobs", "1", *written, str(articles_dir))

    assert "/4 " in run(output="shown")  # the bar's files done of 4
    shown = run("-q", output="quiet")
    summary = "added" if command == "ingest" else "in 1 partition"
    assert "/4 " not in shown and "[" not in shown and summary in shown


def test_every_module_of_the_package_has_a_place_in_the_layers_contract() -> None:
    """import-linter checks only the modules its contract names: a module left out of it (as
    ``analysis`` once was) could import from any layer unnoticed."""
    import configparser
    import pkgutil
    import re

    import archive

    config = configparser.ConfigParser()
    config.read(Path(__file__).resolve().parent.parent / "setup.cfg", encoding="utf-8")
    named = set(re.split(r"[\s|:]+", config["importlinter:contract:layers"]["layers"].strip()))
    modules = {f"archive.{info.name}" for info in pkgutil.iter_modules(archive.__path__)}
    assert modules and not modules - named, f"not in the layers contract of setup.cfg: {sorted(modules - named)}"
    assert not named - modules, f"named in the contract but not in the package: {sorted(named - modules)}"


def test_every_facet_field_filters_the_web_page_by_its_parameter(index_copy: Path) -> None:
    """Each field's ``option`` is its web parameter: ``/?person=X`` shows the articles the API
    finds with that filter (the web reads its parameters from the one list of fields)."""
    from urllib.parse import urlencode

    with api.Archive(index_copy) as archive:
        everything = archive.search(None).total
        tried = []
        for field in FIELDS:
            counts = archive.facets(field.name)
            if not counts:
                continue
            value = counts[-1][0]  # the rarest value: a filter that narrows
            expected = archive.search(None, filters=Filters(values={field.name: (value,)})).total
            status, page = call(WebApp(archive), "/", urlencode({field.option: value}))
            shown = f"1–{min(expected, PAGE_SIZE)} of {expected} article{'' if expected == 1 else 's'}"  # the page's count line
            assert status == "200 OK" and shown in page, (field.option, value, shown)
            tried.append((field.name, expected))
        assert len(tried) >= len(FIELDS) - 2, tried  # the test articles hold values of nearly every field
        assert any(expected < everything for _, expected in tried)


def test_function_level_imports_say_why() -> None:
    """An import inside a function stays only where it keeps start-up lean (or loads an optional,
    heavy or writer-only library), and says so: a comment between the function's first line and
    the import, or a docstring that speaks of importing or loading. The command line (cli.py)
    is exempt: its module docstring gives the one reason for all of its per-command imports."""
    import ast

    package = Path(api.__file__).resolve().parent
    reasons = ("first use", "import", "load", "start")
    silent = []
    for path in sorted(package.rglob("*.py")):
        if path == package / "cli.py":
            continue
        lines = path.read_text(encoding="utf-8").splitlines()
        for function in ast.walk(ast.parse("\n".join(lines))):
            if not isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            docstring = (ast.get_docstring(function) or "").lower()
            for node in ast.walk(function):
                if isinstance(node, (ast.Import, ast.ImportFrom)):
                    head = lines[function.lineno - 1 : node.end_lineno]
                    if not any("#" in line for line in head) and not any(word in docstring for word in reasons):
                        silent.append(f"{path.relative_to(package.parent)}:{node.lineno}: {lines[node.lineno - 1].strip()}")
    assert not silent, "function-level imports without a reason:\n" + "\n".join(silent)
    cli_docstring = ast.get_docstring(ast.parse((package / "cli.py").read_text(encoding="utf-8"))) or ""
    assert "each command imports the library parts it needs" in cli_docstring


def test_the_package_gives_the_api_names_its_docstring_promises(tmp_path: Path, articles_dir: Path) -> None:
    """``from archive import Archive, Filters, ingest, search`` and the docstring's example work;
    every name of ``archive.api.__all__`` is reachable from the package."""
    import archive
    from archive import Archive, Filters, ingest, search
    from archive.indexer import ingest as engine_ingest

    assert (Archive, Filters, search, ingest) == (api.Archive, api.Filters, api.search, engine_ingest)
    # archive.facets is the extraction subpackage, which shadows api.facets once imported (the
    # README names it archive.api.facets); every other name is the API's own.
    shadowed = {name for name in api.__all__ if getattr(archive, name) is not getattr(api, name)}
    assert shadowed <= {"facets"}, shadowed
    assert "from archive import Archive, Filters, ingest, search" in (archive.__doc__ or "")
    report = ingest([str(articles_dir)], index_path=tmp_path / "index")
    assert report.added > 0
    with Archive(tmp_path / "index") as opened:
        total = opened.search("ceasefire").total
    assert total > 0 and search("ceasefire", index_path=tmp_path / "index").total == total
    with pytest.raises(AttributeError):
        archive.no_such_name  # noqa: B018


def test_no_module_but_fields_spells_a_list_of_facet_fields() -> None:
    """A literal tuple, list, set or dict naming two or more list facets (people, places, ...)
    appears only in fields.py. Allowed: ``source`` and ``language``, which are also an article's
    own columns; the extractor's output of names by kind (facets/names.py, below the field list's
    users); and query's choice of lookup table per field (gazetteer or organization table)."""
    import ast

    package = Path(api.__file__).resolve().parent
    allowed = {("facets/names.py", frozenset({"people", "organizations", "places"})),
               ("query.py", frozenset({"places", "countries"})), ("query.py", frozenset({"organizations", "actors"}))}
    spelled = []
    for path in sorted(package.rglob("*.py")):
        where = path.relative_to(package).as_posix()
        if where == "fields.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            items = node.keys if isinstance(node, ast.Dict) else node.elts if isinstance(node, (ast.Tuple, ast.List, ast.Set)) else []
            named = frozenset(item.value for item in items if isinstance(item, ast.Constant) and item.value in LIST_FIELDS)
            if len(named) >= 2 and (where, named) not in allowed:
                spelled.append(f"{where}:{node.lineno}: {sorted(named)}")
    assert not spelled, "field lists spelled outside archive/fields.py:\n" + "\n".join(spelled)


def test_show_stats_and_the_web_article_page_reuse_the_open_index(index_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Once an Archive has its reader, ``show``, ``stats``, the module functions given the
    Archive and the web's article page neither reopen the index nor build another reader."""
    import archive.store

    with api.Archive(index_copy) as opened:
        first = opened.search(None, limit=1).hits[0].fields["id"]
        app = WebApp(opened)

        def reopened(*args: object, **kwargs: object) -> None:
            raise AssertionError("the index was opened again")

        built = []
        monkeypatch.setattr(archive.store, "open_index", reopened)
        monkeypatch.setattr(api, "open_index", reopened)
        monkeypatch.setattr(api, "Reader", lambda *args, **kwargs: built.append(args))
        assert opened.show(first)["id"] == api.show(first, index_path=opened)["id"] == first
        assert opened.stats()["articles"] == api.stats(index_path=opened)["articles"] > 0
        status, page = call(app, f"/article/{first}")
        assert status == "200 OK" and first in page
        assert built == []


def test_every_module_has_a_line_in_the_design_table() -> None:
    """docs/design.md's layer table names every module of the package (``ranking`` had none)."""
    import pkgutil
    import re

    import archive

    design = (Path(__file__).resolve().parent.parent / "docs" / "design.md").read_text(encoding="utf-8")
    table = design.split("| layer | module | what it holds |", 1)[1].split("\n\n", 1)[0]
    named = set()
    for row in table.splitlines()[2:]:
        named.update(re.findall(r"`([\w]+)/?`", row.split("|")[2]))
    modules = {info.name for info in pkgutil.iter_modules(archive.__path__)}
    assert not modules - named, f"modules without a line in docs/design.md: {sorted(modules - named)}"


def test_every_function_and_class_of_the_package_serves_the_package() -> None:
    """No production code that only tests use: every top-level function and class of the
    package is referred to by the package itself (another module, or its own module beside its
    definition), is the library API (``api.__all__``, or a module's own documented ``__all__``),
    or serves the rebuild scripts and the benchmarks. (Decorated ones, Click commands, are
    reached through their decorator.)"""
    import ast

    root = Path(api.__file__).resolve().parent
    users = [*sorted(root.rglob("*.py")), *sorted((root.parent / "scripts").glob("*.py")), *sorted((root.parent / "benchmarks").glob("*.py"))]
    referred: dict[str, int] = {}
    for path in users:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            name = node.id if isinstance(node, ast.Name) else node.attr if isinstance(node, ast.Attribute) else None
            for alias in node.names if isinstance(node, ast.ImportFrom) else []:
                referred[alias.name] = referred.get(alias.name, 0) + 1
            if name:
                referred[name] = referred.get(name, 0) + 1
    unused = []
    for path in sorted(root.rglob("*.py")):
        body = ast.parse(path.read_text(encoding="utf-8")).body
        exported = {item.value for node in body if isinstance(node, ast.Assign) and any(getattr(target, "id", None) == "__all__" for target in node.targets)
                    for item in getattr(node.value, "elts", []) if isinstance(item, ast.Constant)}
        for node in body:
            if isinstance(node, (ast.FunctionDef, ast.ClassDef)) and not node.decorator_list and not node.name.startswith("__"):
                if not referred.get(node.name) and node.name not in api.__all__ and node.name not in exported:
                    unused.append(f"{path.relative_to(root).as_posix()}:{node.lineno}: {node.name}")
    assert not unused, "defined but used by no production code:\n" + "\n".join(unused)


def test_shared_command_options_are_declared_once() -> None:
    """``--jobs`` and ``--wait`` are declared in one place each (a decorator the commands
    share); ``--quiet`` once for the commands that take it and once, hidden, so that the global
    option may come after a command."""
    import ast

    source = (Path(api.__file__).resolve().parent / "cli.py").read_text(encoding="utf-8")
    declared: dict[str, int] = {}
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and getattr(node.func, "attr", None) in ("option", "Option"):
            names = node.args[0].elts if node.args and isinstance(node.args[0], ast.List) else node.args
            for argument in names:
                if isinstance(argument, ast.Constant) and argument.value in ("--jobs", "--wait", "--quiet"):
                    declared[argument.value] = declared.get(argument.value, 0) + 1
    assert declared == {"--jobs": 1, "--wait": 1, "--quiet": 2}
