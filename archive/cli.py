"""The ``archive`` command line: a thin Click layer over :mod:`archive.api`.

Importing this module loads only Click; each command imports the library parts it needs, so
``archive search`` never loads Beautiful Soup, lxml or the extraction code.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from typing import Any

import click

from . import __version__
from .errors import ArchiveError, one_line
from .fields import ENTITY_FIELDS, FIELD_NAMES, FIELDS, KIND_FIELDS, RELATED_SOURCES
from .files import MAX_FILE_BYTES, plural

EXIT_SKIPPED = 3
EXIT_INTERRUPTED = 130
MEGABYTE = 1024 * 1024


class ArchiveGroup(click.Group):
    """Turns library errors into one-line messages instead of tracebacks."""

    def _main_shell_completion(self, ctx_args: Any, prog_name: str, complete_var: str | None = None) -> None:
        register_completion_classes()
        super()._main_shell_completion(ctx_args, prog_name, complete_var)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except ArchiveError as error:
            click.echo(f"Error: {one_line(str(error))}", err=True)
            ctx.exit(error.exit_code)
        except KeyboardInterrupt:
            click.echo("Interrupted.", err=True)
            ctx.exit(EXIT_INTERRUPTED)
        except BrokenPipeError:
            quiet_after_closed_pipe()
            ctx.exit(1)
        except OSError as error:
            if error.filename is None and failed_writing_stdout(error):  # a full disk or a dead device behind stdout
                click.echo(f"Error: cannot write standard output: {describe_os_error(error)}", err=True)
                quiet_after_closed_pipe()
            else:
                click.echo(f"Error: {describe_os_error(error)}", err=True)
            ctx.exit(1)


def failed_writing_stdout(error: OSError) -> bool:
    """Whether ``error`` (one naming no file) was raised writing standard output: the frame it
    was raised in holds ``sys.stdout`` (``click.echo``'s file, a CSV writer's stream)."""
    traceback = error.__traceback__
    while traceback is not None and traceback.tb_next is not None:
        traceback = traceback.tb_next
    if traceback is None:
        return False
    streams = {id(sys.stdout), id(getattr(sys.stdout, "buffer", None))}
    return any(id(value) in streams for value in traceback.tb_frame.f_locals.values())


def quiet_after_closed_pipe() -> None:
    """The reader of our output went away (``archive export | head -1``): stop quietly.

    Standard output is pointed at /dev/null so that Python's flush at exit does not complain,
    and nothing is printed on stderr: like ``grep``, a closed pipe is not an error to report.
    """
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


def describe_os_error(error: OSError, path: str | None = None) -> str:
    """An operating-system error as one line naming the path (output files, folders, disks)."""
    from .files import display_path

    named = path or error.filename
    reason = error.strerror or str(error)
    return one_line(f"{display_path(named)}: {reason}" if named else reason)


FORMAT_PURPOSES = {"text": "text for people", "table": "table for an aligned view"}


def format_option(default: str = "text", choices: tuple[str, ...] = ("text", "json", "jsonl", "csv")) -> Callable:
    """The shared ``--format`` option; its help names exactly the formats the command has."""
    for_people = [FORMAT_PURPOSES[name] for name in choices if name in FORMAT_PURPOSES]
    for_scripts = [name for name in choices if name not in FORMAT_PURPOSES]
    parts = for_people + ([f"{'/'.join(for_scripts)} for scripts"] if for_scripts else [])
    return click.option(
        "--format", "fmt", type=click.Choice(choices), default=default, show_default=True,
        help=f"Output format: {', '.join(parts)}.",
    )


class DateBound(click.ParamType):
    """A date people type (see :func:`archive.dates.parse_bound`); a bad one is a usage error (exit 2)."""

    name = "date"

    def __init__(self, *, end: bool = False) -> None:
        self.end = end

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if not isinstance(value, str):
            return value
        from .dates import parse_bound

        try:
            return parse_bound(value, end=self.end)
        except ArchiveError as error:
            self.fail(str(error), param, ctx)


class FieldChoice(click.Choice):
    """A facet field by its name (``people``) or by its filter option (``person``, ``org``)."""

    def __init__(self) -> None:
        super().__init__(FIELD_NAMES)

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, str):
            by_option = {field.option: field.name for field in FIELDS}
            value = by_option.get(value.strip().lower(), value)
        return super().convert(value, param, ctx)


COLOR_MODES: dict[str, bool | None] = {"auto": None, "always": True, "never": False}  # Click's ctx.color for each


def color_for(ctx: click.Context, stream: Any) -> bool:
    """Whether to colour output to ``stream``: ``--color always|never``, or (auto) only on a
    terminal without ``NO_COLOR``."""
    from .render import use_color

    choice = (ctx.find_root().obj or {}).get("color") or "auto"
    return choice == "always" or (choice == "auto" and use_color(stream))


def echo_text(ctx: click.Context, text: str) -> None:
    """Text output for people: through the pager with ``--pager`` when stdout is a terminal, else printed."""
    if (ctx.find_root().obj or {}).get("pager") and sys.stdout.isatty():
        click.echo_via_pager(text, color=color_for(ctx, sys.stdout))
    else:
        click.echo(text, nl=False)


def wrap_width(stream: Any) -> int | None:
    """The terminal's width to wrap text output to; None (no wrapping) when not a terminal."""
    import shutil

    if not (hasattr(stream, "isatty") and stream.isatty()):
        return None
    return max(20, shutil.get_terminal_size().columns)


def query_text(query: str | None) -> str | None:
    """The QUERY argument; ``-`` reads it from standard input (lines joined by spaces)."""
    if query != "-":
        return query
    return " ".join(sys.stdin.read().split()) or None


def paths_from(paths: tuple[str, ...]) -> tuple[str, ...]:
    """PATHS with ``-`` replaced by the paths read from standard input, one a line."""
    if "-" not in paths:
        return paths
    given = [line.rstrip("\r\n") for line in sys.stdin]
    listed = tuple(path for path in given if path.strip())
    expanded: list[str] = []
    for path in paths:
        expanded.extend(listed if path == "-" else (path,))
    if not expanded:
        raise click.UsageError("no paths on standard input")
    return tuple(expanded)


def index_of(ctx: click.Context) -> str:
    """The index folder chosen on the command line (also while completing, before commands run)."""
    root = ctx.find_root()
    if isinstance(root.obj, dict) and root.obj.get("index"):
        return str(root.obj["index"])
    import os

    return str(root.params.get("index_path") or os.environ.get("ARCHIVE_INDEX") or "index")


def open_archive(ctx: click.Context) -> Any:
    """The index chosen on the command line, opened (an :class:`archive.api.Archive`); in the
    resident reader (``archive daemon``), its open index, kept open after the command."""
    import os

    resident = (ctx.find_root().obj or {}).get("resident")
    if resident is not None and os.path.abspath(index_of(ctx)) == str(resident.location):
        import contextlib

        return contextlib.nullcontext(resident)
    from .api import Archive

    return Archive(index_of(ctx), arrays=False)  # one command: importing numpy costs more than it saves


def complete_values(*field_names: str) -> Callable[[click.Context, click.Parameter, str], list[Any]]:
    """Shell completion of facet values from the index ("Gan" offers "Benny Gantz")."""

    def complete(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[Any]:
        from click.shell_completion import CompletionItem

        from .completions import cached_completions

        names: list[str] = []
        folder = index_of(ctx)
        found = [cached_completions(folder, field_name, incomplete) for field_name in field_names]
        try:
            if any(values is None for values in found):  # no cache yet for this index state: count once
                with open_archive(ctx) as archive:
                    found = [archive.completions(field_name, incomplete) for field_name in field_names]
        except (ArchiveError, OSError):
            return []
        for values in found:
            names.extend(name for name in values or () if name not in names)
        return [CompletionItem(name, help=field_names[0] if len(field_names) == 1 else None) for name in names]

    return complete


def complete_saved(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[Any]:
    """Shell completion of saved search names."""
    from click.shell_completion import CompletionItem

    try:
        from .saved import load_saved

        searches = load_saved(index_of(ctx))
    except (ArchiveError, OSError):
        return []
    return [CompletionItem(name, help=saved.describe()) for name, saved in sorted(searches.items()) if name.startswith(incomplete)]


SHELL_SPECIAL = "\\ \t'\"$`!&;|<>()[]{}*?#~^"


def shell_escaped(value: str) -> str:
    """A completed value as bash reads one word: its shell characters backslash-escaped
    (``Recep Tayyip Erdoğan`` → ``Recep\\ Tayyip\\ Erdoğan``)."""
    return "".join("\\" + char if char in SHELL_SPECIAL else char for char in value)


def register_completion_classes() -> None:
    """Use :class:`EscapingBashComplete` for bash (zsh's ``compadd`` and fish quote by themselves)."""
    from click.shell_completion import BashComplete, add_completion_class

    class EscapingBashComplete(BashComplete):
        """Click's bash completion with each value escaped for the shell, read back with
        ``read -r`` (Click's script inserts "Benny Gantz" unquoted, which the shell splits)."""

        source_template = BashComplete.source_template.replace("IFS=',' read type value", "IFS=',' read -r type value")

        def format_completion(self, item: Any) -> str:
            value = shell_escaped(item.value) if item.type == "plain" else item.value
            return f"{item.type},{value}"

    add_completion_class(EscapingBashComplete, "bash")


def notify(ctx: click.Context, message: str, *, verbose_only: bool = False) -> None:
    """A message on stderr for people: hidden by ``--quiet``; ``verbose_only`` ones need ``--verbose``."""
    settings = ctx.find_root().obj or {}
    if settings.get("quiet") or (verbose_only and not settings.get("verbose")):
        return
    click.echo(one_line(message), err=True)


def fields_option(command: Callable) -> Callable:
    """The shared ``--fields`` option: the columns to print."""
    return click.option(
        "--fields", metavar="A,B,...", default=None,
        help="Comma-separated fields (columns) to print, e.g. id,date,title; text output becomes a table.",
    )(command)


def split_fields(fields: str | None) -> list[str] | None:
    """``--fields`` as a list."""
    if not fields:
        return None
    return [name.strip() for name in fields.split(",") if name.strip()]


def filter_options(command: Callable) -> Callable:
    """The shared facet and date filter options, gathered into a ``filters`` argument."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from .languages import language_code
        from .query import Filters

        values = {field.name: tuple(kwargs.pop(field.option)) for field in FIELDS}
        if values.get("language"):
            values["language"] = tuple(language_code(value) for value in values["language"])
        kwargs["filters"] = Filters(
            values={name: found for name, found in values.items() if found},
            since=kwargs.pop("since"),
            until=kwargs.pop("until"),
        )
        if "query" in kwargs:
            kwargs["query"] = query_text(kwargs["query"])
        return command(*args, **kwargs)

    for field in reversed(FIELDS):
        repeat = " Repeat to AND (articles with all of them)." if field.is_list else " Repeat for any of them (OR)."
        wrapper = click.option(
            f"--{field.option}", multiple=True, metavar="NAME", help=field.help + repeat,
            shell_complete=complete_values(field.name),
        )(wrapper)
    wrapper = click.option(
        "--since", metavar="DATE", type=DateBound(),
        help="Articles dated on or after DATE: 2024, 2024-03, 2024-03-01, 2024-03-01T12:00, today, yesterday, 7d, 2w, 3m, 1y (ago).",
    )(wrapper)
    wrapper = click.option("--until", metavar="DATE", type=DateBound(end=True), help="Articles dated on or before DATE (same forms).")(wrapper)
    return wrapper


def quiet_option(command: Callable) -> Callable:
    """The ``--quiet``/``-q`` option, accepted before the command and after ``ingest``/``enrich``."""
    return click.option("--quiet", "-q", "quiet", is_flag=True, help="No notices, suggestions or progress on stderr, only errors.")(command)


def jobs_option(command: Callable) -> Callable:
    """The shared ``--jobs`` option: local worker processes."""
    return click.option(
        "--jobs", "-j", type=click.IntRange(min=1), default=None, envvar="ARCHIVE_JOBS", metavar="N",
        help="Worker processes reading, cleaning and extracting (or ARCHIVE_JOBS) [default: all cores].",
    )(command)


def wait_option(command: Callable) -> Callable:
    """The shared ``--wait`` option: how long to wait for another writer."""
    return click.option(
        "--wait", "lock_wait", type=click.FloatRange(min=0), default=None, envvar="ARCHIVE_LOCK_WAIT", metavar="SECONDS",
        help="How long to wait for another ingest writing to the same index (or ARCHIVE_LOCK_WAIT) [default: 30].",
    )(command)


def is_quiet(ctx: click.Context, quiet: bool = False) -> bool:
    """Whether ``-q`` was given before the command or after it."""
    return quiet or bool((ctx.find_root().obj or {}).get("quiet"))


@click.group(cls=ArchiveGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--index", "index_path", envvar="ARCHIVE_INDEX", default="index", show_default=True,
    type=click.Path(file_okay=False), help="Index folder (or set ARCHIVE_INDEX).",
)
@quiet_option
@click.option("--verbose", "-v", "verbose", is_flag=True, help="More detail on stderr (timings, curation in use).")
@click.option(
    "--color", "color", type=click.Choice(["auto", "always", "never"]), default="auto", show_default=True, envvar="ARCHIVE_COLOR",
    help="Colour text output: auto (on a terminal, unless NO_COLOR is set), always (for less -R), never (or ARCHIVE_COLOR).",
)
@click.option(
    "--pager/--no-pager", "pager", default=False, envvar="ARCHIVE_PAGER", show_default=True,
    help="Page long text output (search, show) through $PAGER on a terminal (or ARCHIVE_PAGER=1).",
)
@click.version_option(__version__, prog_name="archive")
@click.pass_context
def cli(ctx: click.Context, index_path: str, quiet: bool, verbose: bool, color: str, pager: bool) -> None:
    """A searchable news archive: ingest articles, then search them by words, people and places.

    \b
    Examples:
      archive ingest corpus/
      archive search ceasefire
      archive search --person gantz --place Rafah --since 2024-03
      archive search '"humanitarian aid" AND NOT airdrop' --format json
      archive facets people gaza
      archive related "Benny Gantz"
      archive timeline gaza --by month
      archive export --person gantz --format csv > gantz.csv
      archive serve

    Shell completion: eval "$(archive completion bash)" (or zsh; fish: archive completion fish | source).
    Output that is not results (notices, suggestions, progress) goes to stderr; -q hides it.
    The options above may also come after the command and its arguments (archive search gaza
    --index ~/news). A QUERY of - is read from standard input; `ingest -` and `extract -` read
    paths from it, one a line. Text output wraps to the terminal's width (not when piped).
    """
    ctx.ensure_object(dict).update(index=index_path, quiet=quiet, verbose=verbose, color=color, pager=pager)
    ctx.color = COLOR_MODES[color]


def dask_options(command: Callable) -> Callable:
    """The shared ``--dask ADDRESS`` and ``--dask-workers N`` options."""
    command = click.option(
        "--dask-workers", type=click.IntRange(min=1), default=None, metavar="N",
        help="Worker processes of a --dask local cluster [default: all cores].",
    )(command)
    return click.option(
        "--dask", "dask", metavar="ADDRESS", default=None, envvar="ARCHIVE_DASK",
        help="Run the per-file work on a Dask cluster: a scheduler address (tcp://host:8786) or 'local' "
        "(or ARCHIVE_DASK; needs pip install 'archive[distributed]').",
    )(command)


def warn_relative(paths: tuple[str, ...], address: str | None, echo: Callable[[str], None]) -> None:
    """Before sending work to a remote cluster: say which paths are relative (workers open
    files by the path given, in their own working directory)."""
    if not address or address == "local":
        return
    from .distributed import relative_paths

    relative = relative_paths(paths)
    if relative:
        echo(f"note: relative paths ({', '.join(relative[:3])}) are opened by Dask workers in their own working directory; give absolute paths unless that is the same")


def dask_target(address: str, workers: int | None) -> str:
    """How the cluster is named in the notice before the work starts."""
    if address == "local":
        return f"a local Dask cluster ({workers or 'one worker a core'}{' workers' if workers else ''})"
    return f"the Dask scheduler at {address}"


class RunProgress:
    """The progress of an ingest or enrich on a terminal, drawn by Click's progress bar: files
    done of the files found (percentage, ETA), articles read, their rate and the errors so far,
    and "committing N articles…" while the index writer commits. Hidden (and the files not
    counted) when it is off: ``-q``, or stderr is not a terminal."""

    def __init__(self, paths: tuple[str, ...], *, show: bool, exclude: tuple[str, ...] = ()) -> None:
        import time

        self.clock = time.monotonic
        self.started = self.clock()
        self.shown = show
        self.done = 0
        self.bar: Any = None
        if show:
            from .sources import find_files

            total = sum(1 for found in find_files(paths, exclude=exclude) if not isinstance(found, Exception))
            self.digits = len(str(max(total, 1)))
            self.bar = click.progressbar(
                length=max(total, 1), label="files", file=sys.stderr, width=0, show_pos=True, show_percent=True, show_eta=True,
                item_show_func=self.fit,
            )
            self.bar.render_progress()

    def fit(self, text: str | None) -> str | None:
        """The counts or status cut to what the terminal's width leaves beside the bar (Click
        shrinks the bar itself, but not the text after it)."""
        import shutil

        if not text:
            return text
        fixed = len("files  []  ") + 2 * self.digits + 1 + len("  100%  00:00:00  ") + 5  # five for the bar at least
        room = shutil.get_terminal_size().columns - 1 - fixed
        if room < 8:
            return None
        return text if len(text) <= room else text[: room - 1] + "…"

    def update(self, files: int, articles: int, errors: int) -> None:
        """After a file: the counts so far."""
        if self.bar is None:
            return
        elapsed = max(self.clock() - self.started, 1e-6)
        problems = f", {plural(errors, 'error')}" if errors else ""
        self.bar.update(files - self.done, f"{plural(articles, 'article')}, {articles / elapsed:.0f}/s{problems}")
        self.done = files

    def status(self, message: str) -> None:
        """A state of the run: shown in place of the counts ("committing 2,000 articles…"), or on a
        line of its own when it is news (an interruption)."""
        if message.startswith("interrupted"):
            self.clear()
            click.echo(one_line(message), err=True)
            return
        if self.bar is not None:
            self.bar.current_item = one_line(message.replace("...", "…"))
            self.bar.render_progress()

    def notice(self, message: str) -> None:
        """A message on its own line above the bar (a lock waited for, a Dask cluster)."""
        self.clear()
        click.echo(one_line(message), err=True)

    def clear(self) -> None:
        """Clear the bar's line (and show the cursor again, which the bar hides)."""
        if self.bar is not None:
            click.echo("\r\x1b[K\x1b[?25h", nl=False, err=True)


def max_file_size_option(command: Callable) -> Callable:
    """The shared ``--max-file-size`` option (megabytes, passed on in bytes)."""
    return click.option(
        "--max-file-size", "max_file_mb", type=click.IntRange(min=1), default=MAX_FILE_BYTES // MEGABYTE, show_default=True,
        envvar="ARCHIVE_MAX_FILE_MB", metavar="MB",
        help="Largest article file read (or ARCHIVE_MAX_FILE_MB); JSON Lines files may be any size, each line up to this.",
    )(command)


def finish_run(report: Any, progress: RunProgress, after_interrupt: str) -> None:
    """End an ingest or enrich run: problems, then the summary (or how far an interrupted run got)
    on stderr, and the exit code (130 interrupted, 3 some input skipped)."""
    progress.clear()
    for problem in report.problems:
        click.echo(f"skipped {one_line(str(problem))}", err=True)
    if getattr(report, "abandoned", 0):
        click.echo(
            f"abandoned {plural(report.abandoned, 'article')} read since the last commit (the index is as that commit left it); "
            f"{after_interrupt}", err=True,
        )
        sys.exit(EXIT_INTERRUPTED)
    if report.interrupted:
        click.echo(f"interrupted after {plural(report.files, 'file')} ({report.summary()}); {after_interrupt}", err=True)
        sys.exit(EXIT_INTERRUPTED)
    click.echo(report.summary(), err=True)
    if report.skipped:
        sys.exit(EXIT_SKIPPED)


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@quiet_option
@max_file_size_option
@wait_option
@click.option(
    "--batch-size", type=click.IntRange(min=1), default=None, envvar="ARCHIVE_BATCH_SIZE", metavar="N",
    help="Articles per commit (or ARCHIVE_BATCH_SIZE); a crash loses at most one batch [default: 10000].",
)
@jobs_option
@click.option("--prune", is_flag=True, help="Remove the articles of files under PATHS that no longer exist.")
@dask_options
@click.pass_context
def ingest(
    ctx: click.Context, paths: tuple[str, ...], quiet: bool, max_file_mb: int, lock_wait: float | None, batch_size: int | None,
    jobs: int | None, prune: bool, dask: str | None, dask_workers: int | None,
) -> None:
    """Add articles from files and folders (recursively) to the index.

    Formats: .txt/.md (optional "Key: value" header or front matter), .html/.htm, .json (one
    article or a list), .jsonl/.ndjson, any of them .gz-compressed. Re-ingesting a file updates
    its articles instead of duplicating them. Unreadable files are reported and skipped.

    PATHS of - reads the paths from standard input, one a line (find ... | archive ingest -).

    Articles are committed in batches: if the run is killed, what was committed stays, and
    running the same command again finishes the job. Ctrl-C says at once that it commits the
    articles read so far, then stops; a second Ctrl-C during that commit abandons them (the
    index stays as the last commit left it). Only one ingest writes to an index at a time; a
    second one waits for it. On a terminal a progress bar shows files done of those found,
    articles read, their rate, errors and an ETA, and "committing N articles…" while the index
    is written; -q (before or after ingest) hides it.

    Incremental: files unchanged since the last ingest (same size and modification time, or
    same content) are not read again; --prune removes articles whose files are gone. The same
    article in several files (same text after cleaning) is indexed once; `archive show`
    lists its other locations.

    --dask ADDRESS runs the reading, cleaning and extraction on a Dask cluster (--dask local:
    one started on this machine); this process writes the index. Folders written by
    `archive enrich` are indexed from their enriched records, without extracting again.

    Exit codes: 0 all went in, 3 some files or articles were skipped, 1 error, 130 interrupted.

    \b
    Examples:
      archive ingest corpus/
      archive ingest --jobs 2 --prune corpus/
      archive ingest --dask tcp://10.0.0.5:8786 /shared/news/
      archive ingest enriched/
      archive --index ~/news-index ingest saved-pages/ export.jsonl
      find ~/news -name '*.html' -mtime -1 | archive ingest -
    """
    from .indexer import ingest as run_ingest
    from .workers import default_jobs

    paths = paths_from(paths)
    quiet = is_quiet(ctx, quiet)
    bar = RunProgress(paths, show=not quiet and sys.stderr.isatty(), exclude=(index_of(ctx),))

    def progress(path: str, report: Any) -> None:
        bar.update(report.files, report.read + report.unchanged, report.skipped)

    def status(message: str) -> None:
        if not quiet:
            bar.status(message)

    notice = bar.notice

    options: dict[str, Any] = {"max_file_bytes": max_file_mb * MEGABYTE}
    if lock_wait is not None:
        options["lock_wait"] = lock_wait
    if batch_size is not None:
        options["batch_size"] = batch_size
    if dask:
        options.update(dask=dask, dask_workers=dask_workers)
        notice(f"working on {dask_target(dask, dask_workers)}")
        warn_relative(paths, dask, notice)
    report = run_ingest(
        paths, index_of(ctx), progress=progress, notice=notice, status=status, jobs=jobs or default_jobs(), prune=prune, **options
    )
    finish_run(report, bar, "run the same command again to finish")


SEARCH_FORMATS = ("text", "table", "json", "jsonl", "csv")
COUNT_FORMATS = ("text", "table", "json", "jsonl", "csv")
SEARCH_TABLE_COLUMNS = ("id", "date", "title", "source")
PERIODS = ("day", "week", "month", "year")


def limit_option(default: int | None, what: str) -> Callable:
    """The shared ``--limit`` option."""
    return click.option(
        "--limit", "-n", type=click.IntRange(min=1), default=default, show_default=default is not None,
        help=f"Number of {what} to show" + ("." if default is not None else " [default: all]."),
    )


EXIT_NO_MATCHES = 1
SORTS = ("relevance", "newest", "oldest", "date")


def sort_option(command: Callable) -> Callable:
    """The shared ``--sort`` option (``date`` is kept as another name for ``newest``)."""
    return click.option(
        "--sort", type=click.Choice(SORTS), default=None,
        help="Order of hits: relevance, newest or oldest first (date = newest); undated articles come last in both date orders [default: relevance with a query, else newest].",
    )(command)


def fail_if_empty_option(command: Callable) -> Callable:
    """The grep-style ``--fail-if-empty``: exit 1 when nothing matched."""
    return click.option(
        "--fail-if-empty", is_flag=True, help="Exit with code 1 when nothing matches (like grep), for scripts.",
    )(command)


def offset_option(command: Callable) -> Callable:
    """The shared ``--offset`` option."""
    return click.option("--offset", type=click.IntRange(min=0), default=0, show_default=True, help="Results to skip (for paging).")(command)


def echo_hits(ctx: click.Context, result: Any, fmt: str, fields: str | None, offset: int) -> None:
    """Print a page of search hits: the standard view, or the chosen fields as a table or records."""
    from .render import HIT_COLUMNS, hit_record, render_output, render_search, select_fields

    wanted = split_fields(fields)
    if wanted or fmt == "table":
        records = [hit_record(hit.fields, hit.score, hit.snippet) for hit in result.hits]
        try:
            records, columns = select_fields(records, wanted or list(SEARCH_TABLE_COLUMNS), HIT_COLUMNS)
        except ValueError as error:
            raise click.BadParameter(str(error), param_hint="--fields") from error
        if fmt == "json":
            import json

            click.echo(json.dumps({"total": result.total, "offset": offset, "hits": records}, ensure_ascii=False, indent=2))
        else:
            click.echo(render_output(records, "table" if fmt == "text" else fmt, columns), nl=False)
        if fmt in ("text", "table") and result.hits:
            notify(ctx, f"{offset + 1}-{offset + len(result.hits)} of {plural(result.total, 'article')}")
    else:
        echo_text(ctx, render_search(result, fmt, color=color_for(ctx, sys.stdout), offset=offset, width=wrap_width(sys.stdout)))
    if offset and result.total and offset >= result.total:
        notify(ctx, f"--offset {offset} is past the end: {plural(result.total, 'article')} match.")


def explain_empty(ctx: click.Context, archive: Any, query: str | None, filters: Any, unmatched: list[tuple[str, str]]) -> None:
    """Why nothing matched: filter values and query words not in the index, with the closest ones (did you mean)."""
    suggestions = archive.suggest(query, filters=filters)
    by_value = {(item.field, item.value): item for item in suggestions}
    for field_name, value in unmatched:
        item = by_value.pop((field_name, value), None)
        if item is not None and item.options:
            notify(ctx, item.message())
        else:
            notify(ctx, f"No {field_name} matching {value!r} in the index.")
    for item in by_value.values():
        notify(ctx, item.message())


@cli.command()
@wait_option
@click.pass_context
def optimize(ctx: click.Context, lock_wait: float | None) -> None:
    """Merge the index into one segment so searches stay fast after many ingests.

    Ingest merges by itself (ten segments of one size into one; never more than ten left);
    run this for the fastest searches, after many small ingests, or before copying an index.
    It rewrites every article (about 10 minutes for 100,000 on two cores). Searches keep
    working while it runs.

    \b
    Examples:
      archive optimize
    """
    from .indexer import optimize as run_optimize

    options = {} if lock_wait is None else {"lock_wait": lock_wait}
    before, after = run_optimize(index_of(ctx), notice=lambda message: click.echo(one_line(message), err=True), **options)
    click.echo(f"{plural(before, 'segment')} merged into {after}", err=True)


@cli.command()
@click.argument("query", required=False)
@filter_options
@sort_option
@limit_option(10, "hits")
@offset_option
@fields_option
@format_option(choices=SEARCH_FORMATS)
@click.option("--save", "save_as", metavar="NAME", help="Also save this search as NAME; re-run it with 'archive saved NAME'.", shell_complete=complete_saved)
@click.option("--force", is_flag=True, help="With --save: replace a saved search of that name.")
@fail_if_empty_option
@click.pass_context
def search(
    ctx: click.Context, query: str | None, filters: Any, sort: str | None, limit: int, offset: int,
    fields: str | None, fmt: str, save_as: str | None, force: bool, fail_if_empty: bool,
) -> None:
    """Search articles by words and facets.

    QUERY uses Whoosh's query language over title and body: words (all required),
    "phrases" (stemmed: "peace talks" also finds "peace talk"), ="exact phrases" (word for
    word, not stemmed), AND, OR, NOT, parentheses, netanyahu~ (fuzzy), gant* and g?ntz
    (prefix, wildcard), "gantz harris"~5 (within five words), title:ceasefire or
    body:ceasefire (one field), people:"Benny Gantz" or person:gantz (like --person). Case
    and accents are ignored (sao finds São); stop words count, so "in the air" is exact.
    QUERY - reads the query from standard input. Filters narrow the hits and AND together; a
    repeated --language or --source means any of them. When nothing matches, the closest
    names and words are suggested.

    Text output shows per hit its title, date, source, URL, path and id, the facets and a
    snippet; --format json is {"total", "offset", "hits"}, jsonl/csv one hit a line.
    Exit codes: 0 (also with no hits, unless --fail-if-empty: then 1), 1 error, 2 usage error.

    \b
    Examples:
      archive search ceasefire
      archive search --person gantz
      archive search --country us
      archive search --place Rafah --since 2024-01-01
      archive search '"humanitarian aid" AND NOT airdrop'
      archive search 'netanyahu~' --fields id,date,title
      archive search '="peace talks"' title:gaza
      archive search hostages --org hamas --sort newest --format json
      archive search --language de --language fr --since 7d --sort oldest
      echo 'ceasefire AND rafah' | archive search -
      archive search --person gantz --save gantz     # then: archive saved gantz --new
    """
    import time

    if save_as and not force:
        from .saved import load_saved

        if save_as in load_saved(index_of(ctx)):
            raise click.UsageError(f"a saved search {save_as!r} exists already: add --force to replace it")
    started = time.perf_counter()
    with open_archive(ctx) as archive:
        result = archive.search(query, filters=filters, sort=sort or "relevance", limit=limit, offset=offset)
        notify(ctx, f"{plural(result.total, 'match', 'matches')} in {time.perf_counter() - started:.3f} s", verbose_only=True)
        echo_hits(ctx, result, fmt, fields, offset)
        if not result.total:
            explain_empty(ctx, archive, query, filters, result.unmatched)
            if fmt == "text":
                notify(ctx, "No articles found.")
        if save_as:
            from .saved import save_search

            ids = archive.matching_ids(query, filters=filters)
            save_search(archive, save_as, query, filters, sort=sort, seen=ids)
            notify(ctx, f"Saved as {save_as!r} ({plural(len(ids), 'article')} now); run 'archive saved {save_as} --new' for what is new later.")
    if fail_if_empty and not result.total:
        ctx.exit(EXIT_NO_MATCHES)


def offset_notice(ctx: click.Context, offset: int, total: int, what: str, words: str | None = None) -> None:
    """Say on stderr when ``--offset`` skips past everything there is."""
    if offset and total and offset >= total:
        notify(ctx, f"--offset {offset} is past the end: there {'is' if total == 1 else 'are'} {plural(total, what, words)}.")


def echo_counts(counts: list[tuple[str, int]], fmt: str, field: str) -> None:
    """Print value counts in the chosen format."""
    from .render import render_counts, render_output

    if fmt == "table":
        click.echo(render_output([{"value": value, "count": count} for value, count in counts], fmt, ("value", "count")), nl=False)
    else:
        click.echo(render_counts(counts, fmt, field), nl=False)


@cli.command()
@click.argument("field", type=FieldChoice(), metavar="FIELD")
@click.argument("query", required=False)
@filter_options
@limit_option(20, "values")
@offset_option
@format_option(choices=COUNT_FORMATS)
@click.pass_context
def facets(ctx: click.Context, field: str, query: str | None, filters: Any, limit: int, offset: int, fmt: str) -> None:
    """Count the values of one facet over all matching articles (curation applied).

    FIELD is a facet's name or its filter option: people (person), organizations (org),
    actors (actor), places (place), countries (country), topics (topic), source, language.

    \b
    Examples:
      archive facets people                 # most mentioned people
      archive facets people gaza            # top people in articles about Gaza
      archive facets countries --topic economy --format csv
      archive facets organizations --format table --limit 5 --offset 5
    """
    with open_archive(ctx) as archive:
        counts = archive.facets(field, query, filters=filters)
        echo_counts(counts[offset : offset + limit], fmt, field)
        offset_notice(ctx, offset, len(counts), "value")
        if not counts:
            explain_empty(ctx, archive, query, filters, [])


@cli.command()
@click.argument("name", shell_complete=complete_values(*RELATED_SOURCES))
@click.option("--field", "field", type=FieldChoice(), default="actors", show_default=True, help="What to count beside NAME.")
@click.option(
    "--as", "look_in", type=click.Choice(RELATED_SOURCES), default=None,
    help="Look NAME up in this facet only (when a name is, say, both a place and an organization).",
)
@filter_options
@limit_option(20, "values")
@offset_option
@format_option(choices=COUNT_FORMATS)
@click.pass_context
def related(ctx: click.Context, name: str, field: str, look_in: str | None, filters: Any, limit: int, offset: int, fmt: str) -> None:
    """Who and what appears together with a person, organization, place or topic.

    A name written in full wins over a name matched by one of its words; a name of several
    kinds (Paris, the city and the football club) is an error that asks which one: --as.

    \b
    Examples:
      archive related "Benny Gantz"
      archive related gantz --field places
      archive related Hamas --field countries --since 2024 --format table
      archive related Paris --as places
    """
    from .errors import NotFound
    from .query import Filters

    with open_archive(ctx) as archive:
        try:
            found_in, names, counts = archive.related(name, field, filters=filters, source=look_in)
        except NotFound as error:
            options: list[str] = []
            for source_field in ENTITY_FIELDS:
                for item in archive.suggest(None, filters=Filters(values={source_field: (name,)})):
                    options.extend(option for option in item.options if option not in options)
            if options:
                raise NotFound(f"{error} Did you mean: {', '.join(options[:3])}?") from error
            raise
    if fmt in ("text", "table"):
        notify(ctx, f"{field} appearing with {', '.join(names)} ({found_in}):")
    echo_counts(counts[offset : offset + limit], fmt, field)
    offset_notice(ctx, offset, len(counts), "value")


@cli.command()
@click.argument("article_ids", nargs=-1, required=True, metavar="ID...")
@format_option(choices=("text", "json", "jsonl"))
@click.pass_context
def show(ctx: click.Context, article_ids: tuple[str, ...], fmt: str) -> None:
    """Show articles in full, with their metadata and (curated) facets.

    Each ID may be a unique prefix of at least 4 characters; a prefix several articles share
    is an error listing them ("ambiguous"). With several IDs, text output separates the
    articles with a line, json is a list and jsonl one article a line.

    \b
    Examples:
      archive show 3f2a9c1d0b7e4a55
      archive show 3f2a 9b1c --format json
      archive search gaza --format jsonl | jq -r .id | xargs archive show
    """
    import json

    from .render import render_article

    with open_archive(ctx) as archive:
        records = [archive.show(article_id) for article_id in article_ids]
    if fmt == "json" and len(records) > 1:
        click.echo(json.dumps(records, ensure_ascii=False, indent=2))
        return
    color, width = color_for(ctx, sys.stdout), wrap_width(sys.stdout)
    rule = "─" * min(width or 40, 40) + "\n"
    echo_text(ctx, (rule if fmt == "text" else "").join(render_article(record, fmt, color=color, width=width) for record in records))


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@format_option(default="json")
@max_file_size_option
def extract(paths: tuple[str, ...], fmt: str, max_file_mb: int) -> None:
    """Clean articles and extract their facets without indexing.

    Prints, per article: path, title, body, date, author, source, url, language, people,
    organizations, places, countries, topics, authors. PATHS of - reads the paths from standard input,
    one a line. Exit code 3 when some input was skipped.

    \b
    Examples:
      archive extract page.html
      archive extract corpus/ --format jsonl | jq .people
      find corpus -name '*.html' -newer stamp | archive extract - --format jsonl
    """
    from .errors import SourceError
    from .pipeline import extract as run_extract
    from .render import render_extracted

    records, problems = [], 0
    for item in run_extract(paths_from(paths), max_file_bytes=max_file_mb * MEGABYTE):
        if isinstance(item, SourceError):
            click.echo(f"skipped {one_line(str(item))}", err=True)
            problems += 1
        else:
            records.append(item.as_dict())
    click.echo(render_extracted(records, fmt), nl=False)
    if problems:
        sys.exit(EXIT_SKIPPED)


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--output", "-o", required=True, type=click.Path(file_okay=False), metavar="DIR", help="Folder for the partitions (created; must be empty or hold an earlier enrichment).")
@click.option("--partition-size", type=click.IntRange(min=1), default=10_000, show_default=True, metavar="N", help="Articles per partition file.")
@jobs_option
@quiet_option
@max_file_size_option
@dask_options
@click.pass_context
def enrich(
    ctx: click.Context, paths: tuple[str, ...], output: str, partition_size: int, jobs: int | None, quiet: bool, max_file_mb: int,
    dask: str | None, dask_workers: int | None,
) -> None:
    """Clean and extract articles without indexing, into JSON Lines partitions.

    Writes DIR/part-00000.jsonl, ... (one article a line with every field, facets as lists)
    and a manifest, DIR/.archive-enriched.json. `archive ingest DIR` indexes them without
    extracting again, so enrichment on a cluster and indexing on one machine can be separate
    steps; other systems (OpenSearch bulk loads, jq, DuckDB) read them as they are.

    Exit codes: 0 all written, 3 some files or articles were skipped, 1 error, 130 interrupted.

    \b
    Examples:
      archive enrich corpus/ --output enriched/
      archive enrich /shared/news/ -o /shared/enriched/ --dask tcp://10.0.0.5:8786
      archive ingest enriched/
    """
    from .enrich import enrich as run_enrich
    from .workers import default_jobs

    quiet = is_quiet(ctx, quiet)
    paths = paths_from(paths)
    bar = RunProgress(paths, show=not quiet and sys.stderr.isatty(), exclude=(output,))

    def progress(path: str, report: Any) -> None:
        bar.update(report.files, report.articles, report.skipped)

    if dask and not quiet:
        click.echo(f"working on {dask_target(dask, dask_workers)}", err=True)
        warn_relative(paths, dask, lambda message: click.echo(message, err=True))
    report = run_enrich(
        paths, output, jobs=jobs or default_jobs(), dask=dask, dask_workers=dask_workers, partition_size=partition_size,
        max_file_bytes=max_file_mb * MEGABYTE, progress=progress,
    )
    finish_run(report, bar, "the partitions written so far are kept")


@cli.command()
@format_option(choices=COUNT_FORMATS)
@click.pass_context
def stats(ctx: click.Context, fmt: str) -> None:
    """Number of articles, index size, date range and distinct values per facet.

    \b
    Examples:
      archive stats
      archive stats --format json
      archive stats --format table
    """
    from .render import render_output, render_stats

    with open_archive(ctx) as archive:
        numbers = archive.stats()
    if fmt == "table":
        rows = [{"name": name, "value": numbers[name]} for name in ("index", "articles", "size_bytes", "first_date", "last_date")]
        rows.extend({"name": f"distinct {name}", "value": count} for name, count in numbers["distinct"].items())
        click.echo(render_output(rows, "table", ("name", "value")), nl=False)
    else:
        click.echo(render_stats(numbers, fmt), nl=False)


BAR_WIDTH = 50  # the longest timeline bar, in characters, when the terminal has room


def timeline_label_room(found: Any) -> int:
    """Characters a timeline line needs besides its bar: the period, the count and spaces."""
    if not found.periods:
        return 0
    return max(len(period) for period, _ in found.periods) + len(str(max(count for _, count in found.periods))) + 5


@cli.command()
@click.argument("query", required=False)
@filter_options
@click.option("--by", type=click.Choice(PERIODS), default="month", show_default=True, help="Length of each period (weeks are ISO weeks, 2024-W09).")
@format_option(choices=COUNT_FORMATS)
@click.pass_context
def timeline(ctx: click.Context, query: str | None, filters: Any, by: str, fmt: str) -> None:
    """Count matching articles over time: a bar chart, or period/count records.

    Periods without articles between the first and the last are shown with count 0; in text
    output a run of more than three empty periods is collapsed into one "… N empty days …"
    line, so --by day over decades stays readable (json/jsonl/csv keep every period). Undated
    articles are counted apart. Takes the same QUERY and filters as search.

    \b
    Examples:
      archive timeline gaza
      archive timeline --person gantz --by week
      archive timeline ceasefire --since 2024 --by day --format csv
      archive timeline --country "United States" --by year --format json | jq .periods
    """
    from .render import render_timeline

    with open_archive(ctx) as archive:
        found = archive.timeline(query, filters=filters, by=by)
        columns = wrap_width(sys.stdout)
        bars = BAR_WIDTH if columns is None else max(10, min(BAR_WIDTH, columns - timeline_label_room(found)))
        click.echo(render_timeline(found, fmt, color=color_for(ctx, sys.stdout), width=bars), nl=False)
        if not found.total:
            explain_empty(ctx, archive, query, filters, [])
            if fmt == "text":
                notify(ctx, "No articles found.")


@cli.command()
@click.argument("query", required=False)
@filter_options
@format_option(default="jsonl", choices=("jsonl", "json", "csv"))
@fields_option
@limit_option(None, "articles")
@offset_option
@click.option("--output", "-o", type=click.Path(dir_okay=False, allow_dash=True), default="-", help="File to write [default: standard output].")
@fail_if_empty_option
@click.pass_context
def export(
    ctx: click.Context, query: str | None, filters: Any, fmt: str, fields: str | None, limit: int | None, offset: int, output: str,
    fail_if_empty: bool,
) -> None:
    """Write every matching article with all its fields (body included), oldest first, undated last.

    Fields: id, title, date, author, source, url, language, path, people, organizations,
    actors, places, countries, topics, authors, body. A progress bar shows on a terminal.
    -o FILE that cannot be written (a missing folder, no permission, a full disk) is a
    one-line error naming it. Exit code 1 with --fail-if-empty when nothing matches.

    \b
    Examples:
      archive export > everything.jsonl
      archive export gaza --since 2024 --format csv -o gaza.csv
      archive export --person gantz --fields id,date,title,url --format csv
      archive export --topic economy | jq -r .title
    """
    from .render import EXPORT_COLUMNS, select_fields, stream_records

    try:
        _, columns = select_fields([], split_fields(fields), EXPORT_COLUMNS)
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="--fields") from error
    with open_archive(ctx) as archive:
        total, records = archive.export(query, filters=filters)
    end = None if limit is None else offset + limit
    count = max(0, min(total, end if end is not None else total) - offset)
    settings = ctx.find_root().obj or {}
    show_progress = sys.stderr.isatty() and not settings.get("quiet") and (output != "-" or not sys.stdout.isatty())

    def chosen() -> Any:
        for number, record in enumerate(records):
            if end is not None and number >= end:
                break
            if number >= offset:
                yield {name: record.get(name) for name in columns}

    try:
        with click.open_file(output, "w", encoding="utf-8") as stream:
            if show_progress:
                with click.progressbar(chosen(), length=count, label="exporting", file=sys.stderr) as bar:
                    written = stream_records(bar, fmt, columns, stream)
            else:
                written = stream_records(chosen(), fmt, columns, stream)
    except BrokenPipeError:
        raise
    except OSError as error:  # a missing folder, a file we may not write, a full disk
        from .errors import BadInput

        if output == "-":
            quiet_after_closed_pipe()  # what is still buffered for the full disk would fail again at exit
        raise BadInput(f"cannot write {describe_os_error(error, 'standard output' if output == '-' else output)}") from error
    notify(ctx, f"{plural(written, 'article')} exported" + ("" if output == "-" else f" to {output}"), verbose_only=output == "-")
    if offset and offset >= total and total:
        notify(ctx, f"--offset {offset} is past the end: {plural(total, 'article')} match.")
    if fail_if_empty and not written:
        ctx.exit(EXIT_NO_MATCHES)


@cli.group()
def entities() -> None:
    """Curate entities: merge spellings, rename, drop false ones, list them with counts.

    Curation is kept in curation.json in the index folder (human-readable, editable) and
    applies at once to search, facets, related, completion and the web view, without
    re-ingesting; it survives re-ingest. Without --field a rule applies to every facet.

    \b
    Examples:
      archive entities list --field people
      archive entities merge "US" "U.S." --into "United States"
      archive entities rename "Binyamin Netanyahu" "Benjamin Netanyahu" --field people
      archive entities drop "He" --field people
      archive entities undo "He"
      archive entities retype "Kerem Shalom" --to place
      archive entities rules
    """


def field_scope_option(command: Callable) -> Callable:
    """``--field`` for curation commands: the facet a rule applies to (default: all)."""
    return click.option(
        "--field", "field", type=FieldChoice(), default=None,
        help="Facet the rule is for [default: every facet]; people and organizations rules also apply to actors.",
    )(command)


def entity_complete(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[Any]:
    """Complete entity names from the field given, or from people, organizations, places and countries."""
    field_name = ctx.params.get("field")
    return complete_values(*((field_name,) if field_name else ENTITY_FIELDS))(ctx, param, incomplete)


@entities.command("list")
@click.option("--field", "field", type=FieldChoice(), default=None, help=f"One facet [default: {', '.join(ENTITY_FIELDS)}].")
@limit_option(20, "values per facet")
@offset_option
@format_option(choices=COUNT_FORMATS)
@click.pass_context
def entities_list(ctx: click.Context, field: str | None, limit: int, offset: int, fmt: str) -> None:
    """List entities with the number of articles naming them, as curated.

    \b
    Examples:
      archive entities list
      archive entities list --field organizations --limit 50 --format table
    """
    from .render import inline, render_output

    rows = []
    with open_archive(ctx) as archive:
        counted = {field_name: archive.facets(field_name) for field_name in ((field,) if field else ENTITY_FIELDS)}
    for field_name, counts in counted.items():
        rows.extend({"field": field_name, "value": value, "count": count} for value, count in counts[offset : offset + limit])
    offset_notice(ctx, offset, max((len(counts) for counts in counted.values()), default=0), "value")
    if fmt == "text":
        for field_name in dict.fromkeys(row["field"] for row in rows):
            chosen = [row for row in rows if row["field"] == field_name]
            width = max(len(str(row["count"])) for row in chosen)
            click.echo(f"{field_name}:")
            for row in chosen:
                click.echo(f"  {row['count']:>{width}}  {inline(row['value'])}")
    else:
        click.echo(render_output(rows, fmt, ("field", "value", "count")), nl=False)


@entities.command("merge")
@click.argument("values", nargs=-1, required=True, shell_complete=entity_complete)
@click.option("--into", "into", required=True, metavar="NAME", help="The name to show them all as.", shell_complete=entity_complete)
@field_scope_option
@click.pass_context
def entities_merge(ctx: click.Context, values: tuple[str, ...], into: str, field: str | None) -> None:
    """Show several names as one (spellings, abbreviations, aliases).

    \b
    Examples:
      archive entities merge "US" "U.S." --into "United States"
      archive entities merge "Bibi" "Binyamin Netanyahu" --into "Benjamin Netanyahu" --field people
    """
    from .curation import load_curation, merge, save_curation

    index = index_of(ctx)
    path = save_curation(index, merge(load_curation(index), values, into, field))
    notify(ctx, f"{', '.join(repr(value) for value in values)} now shown as {into!r} ({path})")


@entities.command("rename")
@click.argument("old", shell_complete=entity_complete)
@click.argument("new")
@field_scope_option
@click.pass_context
def entities_rename(ctx: click.Context, old: str, new: str, field: str | None) -> None:
    """Show an entity under another name.

    \b
    Examples:
      archive entities rename "Kamala Harris" "Vice President Kamala Harris" --field people
    """
    from .curation import load_curation, merge, save_curation

    index = index_of(ctx)
    path = save_curation(index, merge(load_curation(index), [old], new, field))
    notify(ctx, f"{old!r} now shown as {new!r} ({path})")


@entities.command("drop")
@click.argument("values", nargs=-1, required=True, shell_complete=entity_complete)
@field_scope_option
@click.pass_context
def entities_drop(ctx: click.Context, values: tuple[str, ...], field: str | None) -> None:
    """Hide false entities from facets, hits, related names and completion.

    \b
    Examples:
      archive entities drop "He" --field people
      archive entities drop "Monday" "Reuters"
    """
    from .curation import drop_values, load_curation, save_curation
    from .folding import fold_key

    index = index_of(ctx)
    with open_archive(ctx) as archive:
        known = {fold_key(name) for field_name in ((field,) if field else ENTITY_FIELDS) for name, _ in archive.facets(field_name)}
    for value in values:
        if fold_key(value) not in known:
            where = field or "any entity facet"
            click.echo(f"warning: {value!r} is in no article ({where}); the rule is kept in case it arrives", err=True)
    path = save_curation(index, drop_values(load_curation(index), values, field))
    notify(ctx, f"dropped {', '.join(repr(value) for value in values)} ({path})")


@entities.command("undo")
@click.argument("values", nargs=-1, required=True)
@field_scope_option
@click.pass_context
def entities_undo(ctx: click.Context, values: tuple[str, ...], field: str | None) -> None:
    """Remove the curation rules about some names (merges and renames from or to them, drops).

    Without --field, the rules about the names go whatever facet they were made for.

    \b
    Examples:
      archive entities undo "He"
      archive entities undo "United States"
    """
    from .curation import forget, load_curation, save_curation

    index = index_of(ctx)
    curation, removed = forget(load_curation(index), values, field)
    save_curation(index, curation)
    if not removed:
        click.echo(f"warning: no rule about {', '.join(repr(value) for value in values)}", err=True)
    notify(ctx, f"removed {plural(removed, 'rule')}")


@entities.command("retype")
@click.argument("name", shell_complete=entity_complete)
@click.option("--to", "kind", required=True, type=click.Choice(list(KIND_FIELDS)), help="What NAME is.")
@wait_option
@click.pass_context
def entities_retype(ctx: click.Context, name: str, kind: str, lock_wait: float | None) -> None:
    """Say what kind of entity a name is: a person, an organization or a place.

    Articles holding NAME as another kind are rewritten with it in the right facet (so
    filters, facets, related and completion agree at once), and later ingests keep it so.
    To change it back, retype it again.

    \b
    Examples:
      archive entities retype "Kerem Shalom" --to place
      archive entities retype "Jordan Peterson" --to person
    """
    from .indexer import retype_entity

    options = {} if lock_wait is None else {"lock_wait": lock_wait}
    changed = retype_entity(index_of(ctx), name, kind, notice=lambda message: notify(ctx, message), **options)
    notify(ctx, f"{name!r} is now a {kind}: {changed} article{'s' if changed != 1 else ''} rewritten")


@entities.command("rules")
@format_option(choices=COUNT_FORMATS)
@click.pass_context
def entities_rules(ctx: click.Context, fmt: str) -> None:
    """Show the curation rules in force (from curation.json beside the index).

    \b
    Examples:
      archive entities rules
      archive entities rules --format json
    """
    from .curation import curation_path, load_curation
    from .render import render_output

    index = index_of(ctx)
    rules = load_curation(index).rules()
    if fmt == "text":
        notify(ctx, f"{curation_path(index)}:")
        for rule in rules:
            target = f" -> {rule['into']}" if rule["action"] == "rename" else ""
            click.echo(one_line(f"{rule['field']:<14}{rule['action']:<8}{rule['value']}{target}"))
    else:
        click.echo(render_output(rules, fmt, ("field", "action", "value", "into")), nl=False)


@cli.command()
@click.argument("name", required=False, shell_complete=complete_saved)
@click.option("--new", "only_new", is_flag=True, help="Only articles that were not there when NAME last ran.")
@click.option("--delete", is_flag=True, help="Forget the saved search NAME.")
@limit_option(10, "hits")
@offset_option
@fields_option
@format_option(choices=SEARCH_FORMATS)
@click.pass_context
def saved(ctx: click.Context, name: str | None, only_new: bool, delete: bool, limit: int, offset: int, fields: str | None, fmt: str) -> None:
    """List saved searches, or run one again (--new: only what arrived since its last run).

    Save a search with 'archive search ... --save NAME'. Saved searches are kept in
    saved.json in the index folder. Each run records what it matched, so --new answers
    "what's new since last time".

    \b
    Examples:
      archive search --person gantz --save gantz
      archive saved                     # list them
      archive saved gantz               # run it again
      archive saved gantz --new         # only articles added since the last run
      archive saved gantz --delete
    """
    from .saved import delete_search, get_search, load_saved, mark_run
    from .store import index_location, open_index

    index = index_of(ctx)
    open_index(index_location(index))  # a missing index is an error, as for every other reading command
    if name is None:
        from .render import render_output

        rows = [
            {"name": item.name, "search": item.describe(), "last_run": item.last_run, "seen": len(item.seen)}
            for item in sorted(load_saved(index).values(), key=lambda item: item.name)
        ]
        if not rows:
            notify(ctx, "No saved searches yet; save one with 'archive search ... --save NAME'.")
            return
        chosen = "table" if fmt == "text" else fmt
        click.echo(render_output(rows, chosen, ("name", "search", "last_run", "seen")), nl=False)
        return
    if delete:
        delete_search(index, name)
        notify(ctx, f"Deleted saved search {name!r}.")
        return
    item = get_search(index, name)
    notify(ctx, f"{name}: {item.describe()}" + (f" (new since {item.last_run})" if only_new and item.last_run else ""))
    exclude = frozenset(item.seen) if only_new else frozenset()
    sort = item.sort or ("date" if only_new else "relevance")
    with open_archive(ctx) as archive:
        filters = item.as_filters()
        result = archive.search(item.query, filters=filters, sort=sort, limit=limit, offset=offset, exclude=exclude)
        echo_hits(ctx, result, fmt, fields, offset)
        if not result.total and fmt == "text":
            notify(ctx, "Nothing new." if only_new else "No articles found.")
        mark_run(index, name, archive.matching_ids(item.query, filters=filters))


@cli.command()
@click.argument("shell", type=click.Choice(["bash", "zsh", "fish"]))
def completion(shell: str) -> None:
    """Print the shell completion script for bash, zsh or fish.

    Completes commands, options, and facet values from the index (archive search --person
    Gan<TAB> offers "Benny Gantz"), saved search names and entity names.

    \b
    Examples:
      eval "$(archive completion bash)"         # add to ~/.bashrc
      eval "$(archive completion zsh)"          # add to ~/.zshrc
      archive completion fish > ~/.config/fish/completions/archive.fish
    """
    from click.shell_completion import get_completion_class

    register_completion_classes()
    completer = get_completion_class(shell)
    assert completer is not None  # the three choices are Click's own
    click.echo(completer(cli, {}, "archive", "_ARCHIVE_COMPLETE").source())


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on (127.0.0.1: this machine only).")
@click.option("--port", "-p", type=click.IntRange(min=0, max=65535), default=8080, show_default=True, help="Port (0: any free port).")
@click.pass_context
def serve(ctx: click.Context, host: str, port: int) -> None:
    """Browse the archive in a local web page: search, facets, timeline, articles.

    Serves server-rendered pages over the same library as the command line; nothing is sent
    anywhere else. Stop it with Ctrl-C.

    \b
    Examples:
      archive serve                      # then open http://127.0.0.1:8080/
      archive --index ~/news-index serve --port 9000
    """
    from .web import serve as run_server

    run_server(index_of(ctx), host=host, port=port, announce=lambda message: notify(ctx, message))


@cli.group()
def daemon() -> None:
    """Keep the index open in a background process so that searches answer at once.

    While a resident reader runs for an index, search, facets, related, show, timeline,
    export (to standard output) and shell completion on it are answered by that process
    over a socket in the index folder (owner-only, this user only); their output and exit
    codes are the same as without it. It sees each ingest's commits, and exits after
    --idle-timeout seconds without a request. Without one, commands run as before.

    \b
    Examples:
      archive daemon start
      archive --index ~/news-index daemon start --idle-timeout 3600
      archive daemon status
      archive daemon stop
    """


def idle_timeout_option(command: Callable) -> Callable:
    """``--idle-timeout SECONDS`` of the resident reader."""
    return click.option(
        "--idle-timeout", type=click.FloatRange(min=0.1), default=1800.0, show_default=True, envvar="ARCHIVE_DAEMON_IDLE",
        metavar="SECONDS", help="Exit after this long without a request (or ARCHIVE_DAEMON_IDLE).",
    )(command)


@daemon.command("start")
@idle_timeout_option
@click.pass_context
def daemon_start(ctx: click.Context, idle_timeout: float) -> None:
    """Start the index's resident reader in the background (nothing happens if one runs)."""
    import os

    from .daemon import start_server

    index = os.path.abspath(index_of(ctx))
    command = [sys.executable, "-c", "from archive.cli import main; main()", "--index", index, "daemon", "run", "--idle-timeout", str(idle_timeout)]
    pid, started = start_server(index, command)
    notify(ctx, f"resident reader {'started' if started else 'already running'} for {index} (pid {pid})")


@daemon.command("stop")
@click.pass_context
def daemon_stop(ctx: click.Context) -> None:
    """Stop the index's resident reader."""
    from .daemon import stop_server

    pid = stop_server(index_of(ctx))
    notify(ctx, f"resident reader stopped (pid {pid})" if pid else "no resident reader was running")


@daemon.command("status")
@format_option(choices=("text", "json"))
@click.pass_context
def daemon_status(ctx: click.Context, fmt: str) -> None:
    """Whether the index's resident reader runs, its memory and requests. Exit code 1 when none answers."""
    import json

    from .daemon import server_status

    found = server_status(index_of(ctx))
    if fmt == "json":
        click.echo(json.dumps(found or {"ok": False}))
    elif found and found.get("ok"):
        click.echo(
            f"running: pid {found['pid']}, up {found['uptime_seconds']:.0f} s, {found['requests']} requests, "
            f"{found['rss_bytes'] / MEGABYTE:.0f} MiB resident, idle timeout {found['idle_timeout_seconds']:.0f} s"
        )
    elif found:
        click.echo("running another version: stop it and start it again")
    else:
        click.echo("not running")
    if not found or not found.get("ok"):
        ctx.exit(1)


@daemon.command("run", hidden=True)
@idle_timeout_option
@click.pass_context
def daemon_run(ctx: click.Context, idle_timeout: float) -> None:
    """Run the resident reader in the foreground (what ``daemon start`` launches)."""
    from .daemon import serve

    def run(argv: list[str], archive: Any) -> None:
        cli.main(args=argv, prog_name="archive", obj={"resident": archive})

    def warm(archive: Any) -> None:
        from . import render  # noqa: F401  (loaded once, not per request)

        archive.search("the", limit=1)
        archive.search(None, limit=1)  # the date columns, for searches by filters alone
        archive.facets("people", "the")

    serve(index_of(ctx), run, idle_timeout=idle_timeout, warm=warm, announce=lambda message: click.echo(message, err=True))


def _set_global(name: str) -> Callable[[click.Context, click.Parameter, Any], None]:
    """The callback of a global option given after a command: it sets what the group's would."""

    def store(ctx: click.Context, param: click.Parameter, value: Any) -> None:
        if value is None or (value is False and name != "pager"):
            return
        root = ctx.find_root()
        if not isinstance(root.obj, dict):
            root.obj = {}
        root.obj[name] = value
        if name == "color":
            ctx.color = root.color = COLOR_MODES[value]

    return store


def accept_global_options_anywhere(group: click.Group) -> None:
    """Let ``--index``, ``--color``, ``--pager``, ``-q`` and ``-v`` also come after a command and its
    arguments (``archive search gaza --index ~/news``), as people type them; hidden from each
    command's help (the group's help lists them)."""
    for command in group.commands.values():
        if isinstance(command, click.Group):
            accept_global_options_anywhere(command)
            continue
        taken = {name for param in command.params for name in param.opts}
        extra = [
            click.Option(["--index"], type=click.Path(file_okay=False), hidden=True, expose_value=False, callback=_set_global("index")),
            click.Option(["--color"], type=click.Choice(["auto", "always", "never"]), hidden=True, expose_value=False, callback=_set_global("color")),
            click.Option(["--quiet", "-q"], is_flag=True, default=None, hidden=True, expose_value=False, callback=_set_global("quiet")),
            click.Option(["--pager/--no-pager"], default=None, hidden=True, expose_value=False, callback=_set_global("pager")),
            click.Option(["--verbose", "-v"], is_flag=True, default=None, hidden=True, expose_value=False, callback=_set_global("verbose")),
        ]
        command.params.extend(option for option in extra if not taken & set(option.opts))


accept_global_options_anywhere(cli)


def main() -> None:
    """Console-script entry point: a read command goes to the index's resident reader when
    one runs (:mod:`archive.daemon_client`), else runs here.

    Output that the terminal's encoding cannot show is escaped rather than ending the run; a
    reader that closes the pipe early (``| head -1``) ends it quietly.
    """
    from .daemon_client import run_command

    code = run_command(sys.argv[1:])
    if code is not None:
        sys.exit(code)
    run_here()


def run_here() -> None:
    """The command line in this process."""
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")
    try:
        cli(prog_name="archive")
    finally:
        try:
            sys.stdout.flush()
        except BrokenPipeError:
            quiet_after_closed_pipe()
        except (OSError, ValueError):
            pass
