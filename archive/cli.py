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
from .errors import one_line
from .sources import MAX_FILE_BYTES

EXIT_SKIPPED = 3
EXIT_INTERRUPTED = 130
MEGABYTE = 1024 * 1024
FILTER_OPTIONS = (
    ("person", "people", "Articles mentioning this person (\"gantz\" finds Benny Gantz)."),
    ("org", "organizations", "Articles mentioning this organization."),
    ("actor", "actors", "Articles mentioning this person or organization."),
    ("place", "places", "Articles mentioning this place."),
    ("country", "countries", "Articles about this country (aliases like \"us\" work)."),
    ("topic", "topics", "Articles on this topic."),
    ("source", "source", "Articles from this source or site."),
    ("language", "language", "Articles in this language (e.g. en)."),
)
FACET_CHOICES = ("people", "organizations", "actors", "places", "countries", "topics", "source", "language")


class ArchiveGroup(click.Group):
    """Turns library errors into one-line messages instead of tracebacks."""

    def invoke(self, ctx: click.Context) -> Any:
        from .errors import ArchiveError

        try:
            return super().invoke(ctx)
        except ArchiveError as error:
            click.echo(f"Error: {one_line(str(error))}", err=True)
            ctx.exit(error.exit_code)
        except KeyboardInterrupt:
            click.echo("Interrupted.", err=True)
            ctx.exit(EXIT_INTERRUPTED)
        except BrokenPipeError:
            sys.stderr.close()
            ctx.exit(1)


def format_option(default: str = "text", choices: tuple[str, ...] = ("text", "json", "jsonl", "csv")) -> Callable:
    """The shared ``--format`` option."""
    return click.option(
        "--format", "fmt", type=click.Choice(choices), default=default, show_default=True,
        help="Output format: text for people, json/jsonl/csv for scripts.",
    )


def filter_options(command: Callable) -> Callable:
    """The shared facet and date filter options, gathered into a ``filters`` argument."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from .query import Filters, parse_date

        values = {field: tuple(kwargs.pop(option)) for option, field, _ in FILTER_OPTIONS}
        since, until = kwargs.pop("since"), kwargs.pop("until")
        kwargs["filters"] = Filters(
            values={field: found for field, found in values.items() if found},
            since=parse_date(since) if since else None,
            until=parse_date(until, end=True) if until else None,
        )
        return command(*args, **kwargs)

    for option, _, help_text in reversed(FILTER_OPTIONS):
        wrapper = click.option(f"--{option}", multiple=True, metavar="NAME", help=help_text + " Repeat to AND.")(wrapper)
    wrapper = click.option("--since", metavar="DATE", help="Articles dated on or after DATE (YYYY, YYYY-MM or YYYY-MM-DD).")(wrapper)
    wrapper = click.option("--until", metavar="DATE", help="Articles dated on or before DATE.")(wrapper)
    return wrapper


@click.group(cls=ArchiveGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--index", "index_path", envvar="ARCHIVE_INDEX", default="index", show_default=True,
    type=click.Path(file_okay=False), help="Index folder (or set ARCHIVE_INDEX).",
)
@click.version_option(__version__, prog_name="archive")
@click.pass_context
def cli(ctx: click.Context, index_path: str) -> None:
    """A searchable news archive: ingest articles, then search them by words, people and places.

    \b
    Examples:
      archive ingest corpus/
      archive search ceasefire
      archive search --person gantz --place Rafah --since 2024-03
      archive search '"humanitarian aid" AND NOT airdrop' --format json
      archive facets people gaza
      archive related "Benny Gantz"
    """
    ctx.obj = {"index": index_path}


def max_file_size_option(command: Callable) -> Callable:
    """The shared ``--max-file-size`` option (megabytes, passed on in bytes)."""
    return click.option(
        "--max-file-size", "max_file_mb", type=click.IntRange(min=1), default=MAX_FILE_BYTES // MEGABYTE, show_default=True,
        envvar="ARCHIVE_MAX_FILE_MB", metavar="MB",
        help="Largest article file read (or ARCHIVE_MAX_FILE_MB); JSON Lines files may be any size, each line up to this.",
    )(command)


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--quiet", "-q", is_flag=True, help="Print only problems and the summary.")
@max_file_size_option
@click.option(
    "--wait", "lock_wait", type=click.FloatRange(min=0), default=None, envvar="ARCHIVE_LOCK_WAIT", metavar="SECONDS",
    help="How long to wait for another ingest writing to the same index (or ARCHIVE_LOCK_WAIT) [default: 30].",
)
@click.option(
    "--batch-size", type=click.IntRange(min=1), default=None, envvar="ARCHIVE_BATCH_SIZE", metavar="N",
    help="Articles per commit (or ARCHIVE_BATCH_SIZE); a crash loses at most one batch [default: 500].",
)
@click.option(
    "--jobs", "-j", type=click.IntRange(min=1), default=None, envvar="ARCHIVE_JOBS", metavar="N",
    help="Worker processes reading, cleaning and extracting (or ARCHIVE_JOBS) [default: all cores].",
)
@click.option("--prune", is_flag=True, help="Remove the articles of files under PATHS that no longer exist.")
@click.pass_obj
def ingest(
    obj: dict[str, Any], paths: tuple[str, ...], quiet: bool, max_file_mb: int, lock_wait: float | None, batch_size: int | None,
    jobs: int | None, prune: bool,
) -> None:
    """Add articles from files and folders (recursively) to the index.

    Formats: .txt/.md (optional "Key: value" header or front matter), .html/.htm, .json (one
    article or a list), .jsonl/.ndjson, any of them .gz-compressed. Re-ingesting a file updates
    its articles instead of duplicating them. Unreadable files are reported and skipped.

    Articles are committed in batches: if the run is killed, what was committed stays, and
    running the same command again finishes the job. Ctrl-C commits what was read and stops.
    Only one ingest writes to an index at a time; a second one waits for it.

    Incremental: files unchanged since the last ingest (same size and modification time, or
    same content) are not read again; --prune removes articles whose files are gone. The same
    article in several files (same text after cleaning) is indexed once; `archive show`
    lists its other locations.

    Exit codes: 0 all went in, 3 some files or articles were skipped, 1 error, 130 interrupted.

    \b
    Examples:
      archive ingest corpus/
      archive ingest --jobs 2 --prune corpus/
      archive --index ~/news-index ingest saved-pages/ export.jsonl
    """
    from .api import ingest as run_ingest

    show_progress = not quiet and sys.stderr.isatty()

    def progress(path: str, report: Any) -> None:
        if show_progress:
            shown = one_line(path)[-60:]
            click.echo(f"\r\x1b[K{report.files} files, {report.added + report.updated + report.unchanged} articles: {shown}", nl=False, err=True)

    def notice(message: str) -> None:
        click.echo(("\r\x1b[K" if show_progress else "") + one_line(message), err=True)

    options: dict[str, Any] = {"max_file_bytes": max_file_mb * MEGABYTE}
    if lock_wait is not None:
        options["lock_wait"] = lock_wait
    if batch_size is not None:
        options["batch_size"] = batch_size
    from .workers import default_jobs

    report = run_ingest(paths, obj["index"], progress=progress, notice=notice, jobs=jobs or default_jobs(), prune=prune, **options)
    if show_progress:
        click.echo("\r\x1b[K", nl=False, err=True)
    for problem in report.problems:
        click.echo(f"skipped {one_line(str(problem))}", err=True)
    if report.interrupted:
        click.echo(f"interrupted after {report.files} files ({report.summary()}); run the same command again to finish", err=True)
        sys.exit(EXIT_INTERRUPTED)
    click.echo(report.summary(), err=True)
    if report.skipped:
        sys.exit(EXIT_SKIPPED)


@cli.command()
@click.option(
    "--wait", "lock_wait", type=click.FloatRange(min=0), default=30.0, envvar="ARCHIVE_LOCK_WAIT", metavar="SECONDS",
    show_default=True, help="How long to wait for an ingest writing to the index.",
)
@click.pass_obj
def optimize(obj: dict[str, Any], lock_wait: float) -> None:
    """Merge the index into one segment so searches stay fast after many ingests.

    Ingest merges by itself when it leaves more than 8 segments; run this after many small
    ingests, or before copying an index. Searches keep working while it runs.

    \b
    Examples:
      archive optimize
    """
    from .api import optimize as run_optimize

    before, after = run_optimize(obj["index"], lock_wait=lock_wait, notice=lambda message: click.echo(one_line(message), err=True))
    click.echo(f"{before} segments merged into {after}", err=True)


@cli.command()
@click.argument("query", required=False)
@filter_options
@click.option("--sort", type=click.Choice(["relevance", "date"]), default=None, help="Order of hits [default: relevance with a query, else date].")
@click.option("--limit", "-n", type=click.IntRange(min=1), default=10, show_default=True, help="Number of hits to show.")
@click.option("--offset", type=click.IntRange(min=0), default=0, show_default=True, help="Hits to skip (for paging).")
@format_option()
@click.pass_obj
def search(obj: dict[str, Any], query: str | None, filters: Any, sort: str | None, limit: int, offset: int, fmt: str) -> None:
    """Search articles by words and facets.

    QUERY uses Whoosh's query language over title and body: words (all required), "exact
    phrases", AND, OR, NOT, parentheses, field:value (title:ceasefire, people:"Benny Gantz").
    Words are stemmed: "talks" finds "talk". Filters narrow the hits and AND together.

    \b
    Examples:
      archive search ceasefire
      archive search --person gantz
      archive search --country us
      archive search --place Rafah --since 2024-01-01
      archive search '"humanitarian aid" AND NOT airdrop'
      archive search hostages --org hamas --sort date --format json
    """
    from .api import search as run_search
    from .render import render_search, use_color

    result = run_search(query, filters=filters, index_path=obj["index"], sort=sort or "relevance", limit=limit, offset=offset)
    for field, value in result.unmatched:
        click.echo(one_line(f"No {field} matching {value!r} in the index."), err=True)
    click.echo(render_search(result, fmt, color=use_color(sys.stdout), offset=offset), nl=False)
    if fmt == "text" and not result.hits:
        click.echo("No articles found.", err=True)


@cli.command()
@click.argument("field", type=click.Choice(FACET_CHOICES))
@click.argument("query", required=False)
@filter_options
@click.option("--limit", "-n", type=click.IntRange(min=1), default=20, show_default=True, help="Number of values to show.")
@format_option()
@click.pass_obj
def facets(obj: dict[str, Any], field: str, query: str | None, filters: Any, limit: int, fmt: str) -> None:
    """Count the values of one facet over all matching articles.

    \b
    Examples:
      archive facets people                 # most mentioned people
      archive facets people gaza            # top people in articles about Gaza
      archive facets countries --topic economy --format csv
    """
    from .api import facets as run_facets
    from .render import render_counts

    counts = run_facets(field, query, filters=filters, index_path=obj["index"])
    click.echo(render_counts(counts[:limit], fmt, field), nl=False)


@cli.command()
@click.argument("name")
@click.option("--field", "field", type=click.Choice(FACET_CHOICES), default="actors", show_default=True, help="What to count beside NAME.")
@filter_options
@click.option("--limit", "-n", type=click.IntRange(min=1), default=20, show_default=True, help="Number of values to show.")
@format_option()
@click.pass_obj
def related(obj: dict[str, Any], name: str, field: str, filters: Any, limit: int, fmt: str) -> None:
    """Who and what appears together with a person, organization, place or topic.

    \b
    Examples:
      archive related "Benny Gantz"
      archive related gantz --field places
      archive related Hamas --field countries --since 2024
    """
    from .api import related as run_related
    from .render import render_counts

    found_in, names, counts = run_related(name, field, filters=filters, index_path=obj["index"])
    if fmt == "text":
        click.echo(one_line(f"{field} appearing with {', '.join(names)} ({found_in}):"), err=True)
    click.echo(render_counts(counts[:limit], fmt, field), nl=False)


@cli.command()
@click.argument("article_id")
@format_option(choices=("text", "json"))
@click.pass_obj
def show(obj: dict[str, Any], article_id: str, fmt: str) -> None:
    """Show one article in full, with its metadata and facets.

    \b
    Examples:
      archive show 3f2a9c1d0b7e4a55
      archive show 3f2a --format json
    """
    from .api import show as run_show
    from .render import render_article, use_color

    click.echo(render_article(run_show(article_id, index_path=obj["index"]), fmt, color=use_color(sys.stdout)), nl=False)


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@format_option(default="json")
@max_file_size_option
def extract(paths: tuple[str, ...], fmt: str, max_file_mb: int) -> None:
    """Clean articles and extract their facets without indexing.

    Prints, per article: path, title, body, date, author, source, url, language, people,
    organizations, places, countries, topics. Exit code 3 when some input was skipped.

    \b
    Examples:
      archive extract page.html
      archive extract corpus/ --format jsonl | jq .people
    """
    from .api import extract as run_extract
    from .render import render_extracted
    from .sources import SourceError

    records, problems = [], 0
    for item in run_extract(paths, max_file_bytes=max_file_mb * MEGABYTE):
        if isinstance(item, SourceError):
            click.echo(f"skipped {one_line(str(item))}", err=True)
            problems += 1
        else:
            records.append(item.as_dict())
    click.echo(render_extracted(records, fmt), nl=False)
    if problems:
        sys.exit(EXIT_SKIPPED)


@cli.command()
@format_option(choices=("text", "json", "csv"))
@click.pass_obj
def stats(obj: dict[str, Any], fmt: str) -> None:
    """Number of articles, index size, date range and distinct values per facet.

    \b
    Examples:
      archive stats
      archive stats --format json
    """
    from .api import stats as run_stats
    from .render import render_stats

    click.echo(render_stats(run_stats(index_path=obj["index"]), fmt), nl=False)


def main() -> None:
    """Console-script entry point.

    Output that the terminal's encoding cannot show is escaped rather than ending the run.
    """
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")
    cli(prog_name="archive")
