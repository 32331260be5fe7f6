"""Loading the knowledge base from files (AST-1): support/kb_articles/<language>/<slug>.md, each
with front matter

    ---
    title: How to find your organization ID
    areas: hub, sso
    ---
    Markdown body…

Upserts by (language, slug), so running it again changes only what changed and never duplicates.
An article staff edited in the admin is kept as staff left it (reported as skipped) unless
`force` is given. Files that disappeared are reported, not deleted: an article may have been
written in the admin, and unpublishing is a staff decision."""

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from ..models import KnowledgeArticle, ProductArea
from ..models.knowledge import HUB_AREA

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


class ArticleFileError(ValueError):
    pass


@dataclass
class ArticleFile:
    path: Path
    language: str
    slug: str
    title: str
    areas: list[str]
    body: str
    digest: str


@dataclass
class LoadReport:
    created: list = field(default_factory=list)
    updated: list = field(default_factory=list)
    unchanged: list = field(default_factory=list)
    skipped_staff_edits: list = field(default_factory=list)
    errors: list = field(default_factory=list)  # (path, message)
    not_in_files: list = field(default_factory=list)


def default_directory() -> Path:
    return Path(settings.HUB_KB_ARTICLES_DIR)


def parse_file(path: Path, *, language: str, known_areas: set[str]) -> ArticleFile:
    raw = path.read_text(encoding="utf-8")
    text = raw.replace("\r\n", "\n").lstrip("\ufeff")
    if not text.startswith("---\n"):
        raise ArticleFileError("missing front matter (the file must start with ---)")
    header, separator, body = text[4:].partition("\n---")
    if not separator:
        raise ArticleFileError("front matter is not closed with ---")
    body = body.partition("\n")[2].strip() + "\n"
    meta = {}
    for line in header.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        key, colon, value = line.partition(":")
        if not colon:
            raise ArticleFileError(f"front matter line without a colon: {line!r}")
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
            value = value[1:-1]  # YAML-style quoting of the whole value
        meta[key.strip().lower()] = value
    slug = path.stem
    if not SLUG_RE.match(slug):
        raise ArticleFileError(f"file name {slug!r} is not a slug (lower-case letters, digits, hyphens)")
    title = meta.get("title", "")
    if not title:
        raise ArticleFileError("title is missing")
    areas = [area.strip() for area in meta.get("areas", "").split(",") if area.strip()]
    if not areas:
        raise ArticleFileError("areas is missing")
    unknown = [area for area in areas if area not in known_areas]
    if unknown:
        raise ArticleFileError(f"unknown areas: {', '.join(unknown)}")
    if not body.strip():
        raise ArticleFileError("the body is empty")
    digest = hashlib.sha256(f"{title}\n{','.join(areas)}\n{body}".encode()).hexdigest()
    return ArticleFile(path=path, language=language, slug=slug, title=title, areas=areas, body=body, digest=digest)


def read_directory(directory: Path, report: LoadReport) -> list[ArticleFile]:
    languages = {code for code, _ in settings.LANGUAGES}
    known_areas = set(ProductArea.objects.values_list("slug", flat=True)) | {HUB_AREA}
    found = []
    if not directory.is_dir():
        return found
    for folder in sorted(p for p in directory.iterdir() if p.is_dir()):
        if folder.name not in languages:
            report.errors.append((folder, f"{folder.name!r} is not a language of the hub"))
            continue
        for path in sorted(folder.glob("*.md")):
            try:
                found.append(parse_file(path, language=folder.name, known_areas=known_areas))
            except (ArticleFileError, UnicodeDecodeError) as error:
                report.errors.append((path, str(error)))
    return found


def load_articles(directory: Path | None = None, *, force: bool = False) -> LoadReport:
    """Upsert every valid article file; see the module docstring for the rules."""
    directory = Path(directory) if directory else default_directory()
    report = LoadReport()
    files = read_directory(directory, report)
    now = timezone.now()
    with transaction.atomic():
        existing = {
            (article.language, article.slug): article
            for article in KnowledgeArticle.objects.select_for_update()
        }
        for item in files:
            key = (item.language, item.slug)
            article = existing.pop(key, None)
            label = f"{item.language}/{item.slug}"
            if article is None:
                KnowledgeArticle.objects.create(
                    language=item.language, slug=item.slug, title=item.title, body=item.body, areas=item.areas,
                    source_hash=item.digest, created_at=now, updated_at=now,
                )
                report.created.append(label)
            elif article.is_edited_by_staff and not force:
                report.skipped_staff_edits.append(label)
            elif article.source_hash == item.digest and not article.is_edited_by_staff:
                report.unchanged.append(label)
            else:
                article.title, article.body, article.areas = item.title, item.body, item.areas
                article.source_hash, article.updated_at, article.is_edited_by_staff = item.digest, now, False
                article.save()
                report.updated.append(label)
        report.not_in_files = sorted(f"{language}/{slug}" for language, slug in existing)
    return report
