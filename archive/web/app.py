"""The web view as a WSGI application: server-rendered HTML over an open :class:`archive.api.Archive`.

Pages:

* ``/`` search: ``q`` (the query language), one parameter per facet named like its
  command-line filter (``person``, ``org``, ``place``, ...; see :mod:`archive.fields`; each
  repeatable), ``since``, ``until`` (the dates the command line takes), ``sort``
  (``relevance``, ``newest``, ``oldest``; the form offers it with the date range) and
  ``page``. Beside the hits: facet lists with counts whose links narrow the search, a
  timeline (by month, or by year over more than ten years) whose bars narrow it to their
  period, and did-you-mean suggestions. Each hit's entities are grouped by kind, labelled.
* ``/article/ID`` one article with its metadata and facets (links search by them); the
  search parameters it was opened from come along, so "back to results" returns to them.
* ``/static/style.css``.

Everything taken from articles or from the request is escaped with :func:`html.escape`, and
pages carry a Content-Security-Policy that allows no script at all: the pages need none.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterable
from http import HTTPStatus
from importlib import resources
from pathlib import PurePosixPath
from string import Template
from typing import Any
from urllib.parse import parse_qs, quote, urlencode

from ..dates import parse_bound, shown_date
from ..errors import ArchiveError
from ..fields import BY_NAME, ENTITY_FIELDS, FIELDS
from ..models import MATCH_END, MATCH_START
from ..query import Filters
from ..files import plural
from ..render import hit_record

PAGE_SIZE = 10
FACET_LIMIT = 10
BAR_STEPS = 20  # bar heights are classes h1..h20 in style.css (the page allows no inline style)
MAX_MONTHS = 120  # a longer timeline is drawn by year, so that its bars fit a phone's width
SORTS = ("relevance", "newest", "oldest")
TAGS_PER_KIND = 4
HEADERS = [
    ("Content-Security-Policy", "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"),
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "no-referrer"),
]
UNPRINTABLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
ID_PATH = re.compile(r"^/article/([0-9A-Za-z]{4,64})$")

Respond = Callable[[str, list[tuple[str, str]]], Any]


def esc(value: Any) -> str:
    """Text safe to put in HTML (element content or a quoted attribute)."""
    return html.escape(UNPRINTABLE.sub("", "" if value is None else str(value)), quote=True)


def _template(name: str) -> Template:
    """A page template from ``archive/web/templates``."""
    return Template(resources.files(__package__).joinpath("templates", name).read_text(encoding="utf-8"))


def _static(name: str) -> bytes:
    """A static file from ``archive/web/static``."""
    return resources.files(__package__).joinpath("static", name).read_bytes()


class WebApp:
    """The WSGI application for one index."""

    def __init__(self, archive: Any) -> None:
        self.archive = archive

    def __call__(self, environ: dict[str, Any], start_response: Respond) -> list[bytes]:
        method = environ.get("REQUEST_METHOD", "GET")
        path = environ.get("PATH_INFO", "/") or "/"
        if method not in ("GET", "HEAD"):
            return self._send(start_response, "405 Method Not Allowed", self._page("Not allowed", "<p>Only GET.</p>"), extra=[("Allow", "GET, HEAD")])
        params = parse_qs(environ.get("QUERY_STRING", ""), keep_blank_values=False)
        try:
            if path == "/":
                return self._send(start_response, "200 OK", self.search_page(params))
            if path == "/static/style.css":
                return self._send(start_response, "200 OK", _static("style.css"), content_type="text/css; charset=utf-8")
            match = ID_PATH.match(path)
            if match:
                return self._send(start_response, "200 OK", self.article_page(match.group(1), params))
            return self._send(start_response, "404 Not Found", self._page("Not found", "<main><p class=\"error\">No such page.</p></main>"))
        except ArchiveError as error:
            status = f"{error.http_status} {HTTPStatus(error.http_status).phrase}"
            body = f'<main><p class="error" id="error">{esc(error)}</p></main>'
            return self._send(start_response, status, self._page("Error", body, query=_first(params, "q")))

    def _send(
        self, start_response: Respond, status: str, body: str | bytes, *,
        content_type: str = "text/html; charset=utf-8", extra: list[tuple[str, str]] | None = None,
    ) -> list[bytes]:
        data = body.encode("utf-8") if isinstance(body, str) else body
        start_response(status, [("Content-Type", content_type), ("Content-Length", str(len(data))), *HEADERS, *(extra or [])])
        return [data]

    def _page(self, title: str, content: str, *, query: str = "", hidden: str = "", controls: str | None = None) -> str:
        return _template("page.html").substitute(
            title=esc(title), content=content, query=esc(query), hidden=hidden,
            controls=_controls("relevance", "", "") if controls is None else controls,
            footer=f"index {esc(self.archive)} · served locally by archive",
        )

    def search_page(self, params: dict[str, list[str]]) -> str:
        """The search page: facets, filters, suggestions, timeline, hits and paging."""
        archive = self.archive
        query = _first(params, "q").strip() or None
        values = {field.name: tuple(params[field.option]) for field in FIELDS if params.get(field.option)}
        since, until = _first(params, "since"), _first(params, "until")
        filters = Filters(
            values=values,
            since=parse_bound(since) if since else None,
            until=parse_bound(until, end=True) if until else None,
        )
        chosen_sort = _first(params, "sort")
        sort = "newest" if chosen_sort == "date" else chosen_sort if chosen_sort in SORTS else "relevance"
        page = max(1, _int(_first(params, "page"), 1))
        result = archive.search(query, filters=filters, sort=sort, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE)
        kept = _kept(params)
        sidebar = []
        for field in FIELDS:
            if not field.browse:
                continue
            param, label = field.option, field.label
            counts = archive.facets(field.name, query, filters=filters)[:FACET_LIMIT]
            chosen = set(params.get(param, []))
            items = "".join(
                f'<li><a href="{esc(_link(kept, add=(param, value)))}" data-facet="{esc(param)}">{esc(value)}</a>'
                f'<span class="n">{count}</span></li>'
                for value, count in counts if value not in chosen
            )
            if items:
                sidebar.append(f'<section id="facet-{esc(param)}"><h2>{esc(label)}</h2><ul>{items}</ul></section>')
        chips = [
            f'<li><a href="{esc(_link(kept, remove=(param, value)))}" title="remove this filter">{esc(param)}: {esc(value)} ✕</a></li>'
            for param, value in kept if param not in ("q", "page")
        ]
        suggestions = ""
        if not result.total:
            suggestions = "".join(
                self._suggestion(item, kept) for item in archive.suggest(query, filters=filters)
            ) or '<p class="suggest">No articles found.</p>'
        found = archive.timeline(query, filters=filters, by="month")
        by = "month"
        if len(found.periods) > MAX_MONTHS:
            found, by = archive.timeline(query, filters=filters, by="year"), "year"
        hits = "".join(self._hit(hit, kept) for hit in result.hits)
        first = (page - 1) * PAGE_SIZE + 1
        articles = plural(result.total, "article")
        count = f"{first}–{first + len(result.hits) - 1} of {articles}" if result.hits else articles
        pages = []
        if page > 1:
            pages.append(f'<a rel="prev" href="{esc(_link(kept, page=page - 1))}">← previous</a>')
        if page * PAGE_SIZE < result.total:
            pages.append(f'<a rel="next" href="{esc(_link(kept, page=page + 1))}">next →</a>')
        content = _template("results.html").substitute(
            facets="".join(sidebar) or "<p>No facets.</p>",
            filters=f'<ul class="chips" id="filters">{"".join(chips)}</ul>' if chips else "",
            suggestions=suggestions,
            by=by,
            timeline=_timeline_html(found, kept),
            count=esc(count),
            start=first,
            hits=hits,
            pages=f'<nav class="pages">{"".join(pages)}</nav>' if pages else "",
        )
        hidden = "".join(
            f'<input type="hidden" name="{esc(param)}" value="{esc(value)}">' for param, value in kept if param not in FORM_FIELDS
        )
        return self._page(query or "Search", content, query=query or "", hidden=hidden, controls=_controls(sort, since, until))

    def _suggestion(self, item: Any, kept: list[tuple[str, str]]) -> str:
        """A did-you-mean line whose suggestions are links to the corrected search."""
        where = f"{item.field} " if item.field else ""
        text = f"No articles for {where}{item.value!r}."
        links = []
        for option in item.options:
            if item.field is None:
                query = " ".join(option if word == item.value else word for word in dict(kept).get("q", "").split())
                link = _link(kept, replace={"q": query})
            else:
                param = BY_NAME[item.field].option
                link = _link(kept, remove=(param, item.value), add=(param, option))
            links.append(f'<a class="did-you-mean" href="{esc(link)}">{esc(option)}</a>')
        more = f" Did you mean: {', '.join(links)}?" if links else ""
        return f'<p class="suggest">{esc(text)}{more}</p>'

    def _hit(self, hit: Any, kept: list[tuple[str, str]]) -> str:
        record = hit_record(hit.fields, hit.score, hit.snippet)
        about = " · ".join(esc(part) for part in (shown_date(record["date"]), record["source"], record["author"]) if part)
        groups = []
        seen: set[str] = set()
        for name in ENTITY_FIELDS:  # people, organizations, places, countries: each kind labelled, no value twice
            field = BY_NAME[name]
            values = [value for value in record[name] if value.casefold() not in seen]
            seen.update(value.casefold() for value in record[name])
            if not values:
                continue
            links = "".join(
                f'<li><a href="{esc(_link(kept, add=(field.option, value)))}" data-kind="{esc(field.option)}">{esc(value)}</a></li>'
                for value in values[:TAGS_PER_KIND]
            )
            more = f'<li class="more">+{len(values) - TAGS_PER_KIND}</li>' if len(values) > TAGS_PER_KIND else ""
            groups.append(f'<div class="tags" data-kind="{esc(field.option)}"><span class="kind">{esc(field.label)}</span><ul>{links}{more}</ul></div>')
        back = f"?{urlencode(kept)}" if kept else ""
        return (
            f'<li class="hit"><h3><a class="title" href="/article/{quote(str(record["id"]))}{esc(back)}">{esc(record["title"] or "(untitled)")}</a></h3>'
            f'<div class="about">{about}</div>'
            f'<p class="snippet">{_marked(hit.snippet)}</p>'
            f'{"".join(groups)}</li>'
        )

    def article_page(self, article_id: str, params: dict[str, list[str]] | None = None) -> str:
        """One article: metadata (the URL and the file as links), facets (links to searches),
        body, and a link back to the results it was opened from (their query and filters)."""
        record = self.archive.show(article_id)
        kept = _kept(params or {})
        meta = []
        for name, label in ARTICLE_LABELS:
            value = record.get(name)
            if not value:
                continue
            if name == "url":
                shown = f'<a href="{esc(value)}" rel="noopener noreferrer nofollow">{esc(value)}</a>' if re.match(r"^https?://", value, re.I) else esc(value)
            elif name == "path":
                shown = _path_shown(value)
            elif name == "date":
                shown = esc(shown_date(value))
            elif name == "source":
                shown = f'<a href="{esc(_link([], add=("source", value)))}">{esc(value)}</a>'
            else:
                shown = esc(value)
            meta.append(f'<dt>{esc(label)}</dt><dd data-field="{esc(name)}">{shown}</dd>')
        for other in (record.get("locations") or [])[1:]:
            meta.append(f'<dt>Also at</dt><dd>{_path_shown(other)}</dd>')
        facets = []
        for field in FIELDS:
            values = record.get(field.name)
            if isinstance(values, list) and values and not field.derived:
                links = "".join(f'<a href="{esc(_link([], add=(field.option, value)))}">{esc(value)}</a>' for value in values)
                facets.append(f"<dt>{esc(field.label)}</dt><dd>{links}</dd>")
        body = "".join(f"<p>{esc(' '.join(paragraph.split()))}</p>" for paragraph in (record.get("body") or "").split("\n") if paragraph.strip())
        back = "← back to results" if kept else "← search"
        content = _template("article.html").substitute(
            title=esc(record.get("title") or "(untitled)"), meta="".join(meta), facets="".join(facets), body=body,
            back=f'<a id="back" href="{esc(_link(kept))}">{back}</a>',
        )
        query = dict(kept).get("q", "")
        return self._page(record.get("title") or "Article", content, query=query)


ARTICLE_LABELS = (
    ("date", "Date"), ("author", "Author"), ("source", "Source"), ("url", "URL"), ("language", "Language"),
    ("path", "File"), ("id", "ID"),
)
FORM_FIELDS = ("q", "page", "sort", "since", "until")  # set by the search form itself, not carried as hidden fields


def _controls(sort: str, since: str, until: str) -> str:
    """The form's sort menu and date range (the same dates the command line takes)."""
    labels = {"relevance": "best match", "newest": "newest first", "oldest": "oldest first"}
    options = "".join(f'<option value="{name}"{" selected" if name == sort else ""}>{labels[name]}</option>' for name in SORTS)
    return (
        f'<label>Sort <select name="sort" id="sort">{options}</select></label>'
        f'<label>From <input type="text" name="since" id="since" value="{esc(since)}" placeholder="2024-03, 7d" size="9"></label>'
        f'<label>to <input type="text" name="until" id="until" value="{esc(until)}" placeholder="2024-06-30" size="9"></label>'
    )


def _file_link(path: str) -> str | None:
    """A ``file://`` link to an article's source file; None for a path relative to wherever
    ``ingest`` ran (as a link it would point into this server, at a page that is not there)."""
    return "file://" + quote(str(PurePosixPath(path))) if path.startswith("/") else None


def _path_shown(path: str) -> str:
    """An article's source file for the article page: a link when it can be one, else the text."""
    link = _file_link(path)
    return f'<a href="{esc(link)}">{esc(path)}</a>' if link else esc(path)


def _first(params: dict[str, list[str]], name: str) -> str:
    """The first value of a request parameter ('' when absent)."""
    values = params.get(name)
    return values[0] if values else ""


def _int(value: str, default: int) -> int:
    """A whole number from a parameter, or ``default``."""
    try:
        return int(value)
    except ValueError:
        return default


def _kept(params: dict[str, list[str]]) -> list[tuple[str, str]]:
    """The request's search parameters, in a fixed order, to build links from."""
    names = ("q", *(field.option for field in FIELDS), "since", "until", "sort")
    return [(name, value) for name in names for value in params.get(name, []) if value]


def _link(
    kept: Iterable[tuple[str, str]], *, add: tuple[str, str] | None = None,
    remove: tuple[str, str] | None = None, page: int | None = None, replace: dict[str, str] | None = None,
) -> str:
    """A search link: the current parameters with one added, removed or replaced, and a page."""
    pairs = [pair for pair in kept if pair != remove and (not replace or pair[0] not in replace)]
    if add and add not in pairs:
        pairs.append(add)
    if replace:
        pairs.extend(replace.items())
    if page and page > 1:
        pairs.append(("page", str(page)))
    return "/?" + urlencode(pairs) if pairs else "/"


def _marked(snippet: str) -> str:
    """A snippet with match markers as ``<mark>``, everything else escaped."""
    pieces = re.split(f"([{MATCH_START}{MATCH_END}])", snippet)
    out = []
    for piece in pieces:
        if piece == MATCH_START:
            out.append("<mark>")
        elif piece == MATCH_END:
            out.append("</mark>")
        else:
            out.append(esc(re.sub(r"\s+", " ", piece)))
    return "".join(out)


def _timeline_html(found: Any, kept: list[tuple[str, str]]) -> str:
    """The monthly timeline as CSS bars; each bar links to the search narrowed to its month."""
    if not found.periods:
        return '<p class="count">No dated articles.</p>'
    most = max(count for _, count in found.periods) or 1
    bars = []
    for period, count in found.periods:
        step = max(1, round(count * BAR_STEPS / most)) if count else 0
        link = _link(kept, replace={"since": period, "until": period})
        bars.append(
            f'<a href="{esc(link)}" class="{f"bar h{step}" if count else "zero"}" title="{esc(period)}: {count}" '
            f'aria-label="{esc(period)}: {plural(count, "article")}"></a>'
        )
    first, last = found.periods[0][0], found.periods[-1][0]
    return f'<div class="bars" id="timeline">{"".join(bars)}</div><div class="axis"><span>{esc(first)}</span><span>{esc(last)}</span></div>'
