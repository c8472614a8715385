"""``reportcorpus``: a thin command line over :func:`datasette_reportcorpus.loaders.load.load`."""

from __future__ import annotations

import codecs
import math
import os
import sqlite3
import sys
import tempfile
from pathlib import Path

import click

from .loaders.formats import FORMATS
from .loaders.formats.fields import FieldMap
from .loaders.formats.html import ENGINES, MissingExtra, engine_for
from .loaders.load import LoadError, LoadOptions, default_workers, load
from .loaders.manifest import ManifestError
from .loaders.text.read import MAX_BYTES
from .loaders.store import CorpusError

from .compat import serve_config_args

HERE = Path(__file__).parent
DEMO_DIR = HERE / "demo"


MAX_WORKERS = 64


def _check_encoding(ctx, param, value):
    if value is None:
        return None
    try:
        return codecs.lookup(value).name
    except LookupError:
        raise click.BadParameter(f"unknown encoding {value!r} (e.g. utf-8, cp1252, latin-1,"
                                 " utf-16)") from None


@click.group()
@click.version_option(package_name="datasette-reportcorpus")
def cli():
    """Turn a folder of news reports into a searchable, comparable corpus."""


@cli.command(name="load")
@click.argument("db", type=click.Path(dir_okay=False))
@click.argument("paths", nargs=-1, required=True)
@click.option("--outlet", help="Outlet for files the manifest does not name")
@click.option("--manifest", type=click.Path(dir_okay=False),
              help="CSV or JSON: path, outlet, title, url, published, byline")
@click.option("--encoding", callback=_check_encoding,
              help="Force an encoding instead of detecting it (e.g. cp1252)")
@click.option("--workers", type=click.IntRange(1, MAX_WORKERS), default=None,
              help="Parser processes (default: one per core, at most 4)")
@click.option("--no-figures", is_flag=True, help="Skip figure extraction")
@click.option("--max-mb", type=click.FloatRange(0, 1e6, min_open=True),
              default=MAX_BYTES / 1e6, show_default=True,
              help="Refuse files larger than this many megabytes")
@click.option("--strict", is_flag=True, help="Exit with status 1 if any file failed")
@click.option("--prune", is_flag=True,
              help="Remove articles whose files are not in this load or no longer give an"
                   " article (when the paths given hold the whole corpus, so that deleted"
                   " files leave it); nothing is pruned if a path could not be read in full")
@click.option("--format", "format_", type=click.Choice(("auto", *FORMATS), case_sensitive=False),
              default="auto", show_default=True,
              help="Read every file as this format; auto goes by suffix (.txt, .html/.htm,"
                   " .jsonl/.ndjson, .json, .csv), then by content")
@click.option("--html-engine", type=click.Choice(ENGINES, case_sensitive=False), default="auto",
              show_default=True,
              help="Reader of web pages: trafilatura (the html extra) or the built-in stdlib"
                   " reader; auto takes trafilatura when installed")
@click.option("--text-field", metavar="NAME",
              help="Record field holding the article text (default: the first of text,"
                   " content, body, article, ...; a.b reads a nested field)")
@click.option("--title-field", metavar="NAME", help="Default: title, headline, ...")
@click.option("--outlet-field", metavar="NAME",
              help="Default: outlet, source, site_name, publisher, ...")
@click.option("--date-field", metavar="NAME",
              help="Default: published, date, published_at, pubdate, ...")
@click.option("--url-field", metavar="NAME", help="Default: url, link, canonical_url, ...")
@click.option("--author-field", metavar="NAME", help="Default: author, authors, byline, ...")
@click.option("--id-field", metavar="NAME",
              help="Record field that keys each article (default: id, _id, uuid, guid, ...;"
                   " a record without one is keyed FILE:LINE)")
@click.option("-q", "--quiet", is_flag=True, help="No progress bar or per-file lines")
def load_command(db, paths, outlet, manifest, encoding, workers, no_figures, max_mb, strict,
                 prune, format_, html_engine, text_field, title_field, outlet_field,
                 date_field, url_field, author_field, id_field, quiet):
    """Load article files (or directories, recursively) into DB.

    Files: plain text (.txt), saved web pages (.html, .htm) and exports holding one
    article per record (.jsonl, .ndjson, .json, .csv), whose fields are found by
    common names or named with the --*-field options. Per-file problems (and bad
    records, as FILE:LINE) are reported one line each and recorded in the
    load_errors table; every other file and record still loads.

        reportcorpus load corpus.db reports/ --manifest reports/manifest.csv

        reportcorpus load corpus.db export.jsonl --text-field body --date-field meta.published
    """
    if not db.strip():
        raise click.BadParameter("the database path is empty", param_hint="DB")
    if math.isnan(max_mb):  # NaN passes any range check
        raise click.BadParameter("must be a number of megabytes", param_hint="--max-mb")
    if html_engine.lower() == "trafilatura":
        try:
            engine_for("trafilatura")
        except MissingExtra as e:
            raise click.BadParameter(str(e), param_hint="--html-engine") from None
    fields = FieldMap(**{name: _field(value, f"--{name}-field") for name, value in (
        ("text", text_field), ("title", title_field), ("outlet", outlet_field),
        ("date", date_field), ("url", url_field), ("author", author_field),
        ("id", id_field))})
    options = LoadOptions(manifest=manifest, outlet=outlet, encoding=encoding,
                          workers=workers or default_workers(), figures=not no_figures,
                          max_bytes=int(max_mb * 1e6), prune=prune, format=format_.lower(),
                          html_engine=html_engine.lower(), fields=fields)
    summary = _load(db, list(paths), quiet=quiet, options=options)
    if strict and summary.errors:
        sys.exit(1)


def _field(value: str | None, option: str) -> str | None:
    """A field name given on the command line (blank: not given)."""
    if value is None:
        return None
    value = value.strip()
    if not value or any(not part.strip() for part in value.split(".")):
        raise click.BadParameter(f"{value!r} is not a field name (e.g. body, or source.name"
                                 " for a nested one)", param_hint=option)
    return value


def _load(db, paths, quiet=False, **kwargs):
    bar = None
    show_bar = not quiet and sys.stderr.isatty()

    def progress(done, total):
        nonlocal bar
        if not show_bar:
            return
        if bar is None:
            bar = click.progressbar(length=total, label="Loading", file=sys.stderr)
            bar.__enter__()
        bar.update(done - bar.pos)

    def report(line):
        if not quiet:
            if bar is not None:
                click.echo("", err=True)
            click.echo(line, err=True)

    try:
        summary = load(db, paths, progress=progress, report=report, **kwargs)
    except (ManifestError, LoadError, CorpusError) as e:
        raise click.ClickException(str(e)) from None
    except OSError as e:
        raise click.ClickException(f"{db}: cannot open database ({e.strerror or e})") from None
    except sqlite3.DatabaseError as e:
        raise click.ClickException(f"{db}: cannot load into this file: {e}") from None
    finally:
        if bar is not None:
            bar.__exit__(None, None, None)
    for line in summary.lines():
        click.echo(line)
    return summary


@cli.command()
@click.option("--dir", "directory", type=click.Path(file_okay=False),
              help="Where to build the demo database (default: a temporary folder)")
@click.option("-h", "--host", default="127.0.0.1", show_default=True)
@click.option("-p", "--port", default=8001, show_default=True, type=int)
@click.option("--no-serve", is_flag=True, help="Build the database and stop")
def demo(directory, host, port, no_serve):
    """Build the bundled sample corpus (fictional outlets) and serve it.

    The demo database is built afresh each time, so it always shows what this version
    of the loader makes of the demo files; a ``corpus.db`` in DIR that holds anything
    but the demo is never touched.
    """
    if not no_serve:
        _check_port(host, port)
    directory = Path(directory or Path(tempfile.gettempdir()) / "reportcorpus-demo")
    directory.mkdir(parents=True, exist_ok=True)
    db = directory / "corpus.db"
    if db.exists() and not _is_demo(db):
        raise click.ClickException(
            f"{db} holds a corpus that is not the demo's; give the demo another --dir")
    fresh = directory / "corpus.db.new"
    _remove(fresh, *_journals(fresh))
    _load(str(fresh), [str(DEMO_DIR)], manifest=str(DEMO_DIR / "manifest.csv"),
          workers=1, quiet=True)
    _remove(*_journals(db))
    os.replace(fresh, db)
    click.echo(f"Demo corpus: {db}")
    if no_serve:
        return
    _serve([str(db)], host, port, [])


@cli.command(context_settings={"ignore_unknown_options": True})
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
@click.option("-h", "--host", default="127.0.0.1", show_default=True)
@click.option("-p", "--port", default=8001, show_default=True, type=int)
def serve(args, host, port):
    """Serve corpus databases with Datasette, using this package's metadata.yml (and
    datasette.yaml on Datasette 1.0): table descriptions, facets, search settings.

    ARGS: the database files, then any options for ``datasette serve`` (e.g.
    ``--setting base_url /news/``, ``--cors``, or ``-m my-metadata.yml`` to use your own
    metadata instead).
    """
    args = list(args)
    databases = []
    while args and not args[0].startswith("-"):
        databases.append(args.pop(0))
    if not databases:
        raise click.UsageError("name at least one database file to serve")
    for db in databases:
        if not Path(db).is_file():
            raise click.BadParameter(f"{db}: no such database file", param_hint="ARGS")
    _check_port(host, port)
    _serve(databases, host, port, args)


def _serve(databases: list[str], host: str, port: int, extra: list[str]) -> None:
    own = "-m" in extra or "--metadata" in extra or any(
        a.startswith("--metadata=") for a in extra)
    config = [] if own else serve_config_args(str(HERE / "metadata.yml"),
                                              str(HERE / "datasette.yaml"))
    args = [sys.executable, "-m", "datasette", "serve", *databases, "-h", host, "-p",
            str(port), *config, *extra]
    first = Path(databases[0]).stem
    base = "/" + _setting(extra, "base_url", "/").strip("/")
    root = f"http://{host}:{port}{base.rstrip('/')}/{first}"
    click.echo(f"Serving on {root} (Ctrl-C to stop)")
    click.echo(f"Search: {root}/-/search")
    sys.stdout.flush()
    os.execv(sys.executable, args)


def _setting(args: list[str], name: str, default: str) -> str:
    """The value of ``--setting NAME VALUE`` among Datasette options, else ``default``."""
    for i, arg in enumerate(args[:-2]):
        if arg == "--setting" and args[i + 1] == name:
            return args[i + 2]
    return default


def _check_port(host: str, port: int) -> None:
    """Refuse a port another program listens on, before any work (Datasette would only
    fail after the demo is built, and after saying it serves)."""
    import socket

    if not 0 < port < 65536:
        raise click.BadParameter(f"{port} is not a port number (1-65535)", param_hint="-p")
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as e:
        raise click.BadParameter(f"cannot use host {host!r}: {e}", param_hint="-h") from None
    family, _, _, _, address = infos[0]
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the server does
        try:
            probe.bind(address)
        except OSError as e:
            raise click.ClickException(
                f"cannot serve on {host}:{port}: {e.strerror or e} (another program may be"
                " using the port: choose another with -p)") from None
def _is_demo(db: Path) -> bool:
    """True when every article of ``db`` is a demo file (what ``demo`` built before)."""
    import sqlite3

    demo_files = {f.relative_to(DEMO_DIR).as_posix() for f in DEMO_DIR.rglob("*.txt")}
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        paths = {r[0] for r in conn.execute("select path from articles")}
    except sqlite3.Error:  # not a database, or not a corpus
        return False
    finally:
        conn.close()
    return paths <= demo_files


def _journals(db: Path) -> list[Path]:
    """The files SQLite may keep beside database ``db``."""
    return [Path(f"{db}{suffix}") for suffix in ("-wal", "-shm", "-journal")]


def _remove(*paths: Path) -> None:
    for path in paths:
        path.unlink(missing_ok=True)


if __name__ == "__main__":
    cli()
