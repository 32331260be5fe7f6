"""Reads of the knowledge base for help pages and the assistant. Articles are public; feedback
and conversations are the signed-in person's own."""

from django.conf import settings
from django.db.models import BooleanField, Case, Value, When
from django.http import Http404
from django.utils import translation

from ..models import ArticleFeedback, KnowledgeArticle
from .text import ENGLISH

LANGUAGE_CODES = frozenset(code for code, _ in settings.LANGUAGES)


def reading_language(requested: str = "") -> str:
    """The language to show help in: the one asked for (a translation link), else the active one."""
    for candidate in (requested, translation.get_language() or ""):
        candidate = (candidate or "").lower()
        if candidate in LANGUAGE_CODES:
            return candidate
    return ENGLISH


def article_for_reader(slug: str, language: str) -> KnowledgeArticle:
    """The published article in `language`, else its English original; 404 when neither exists."""
    languages = [language] if language == ENGLISH else [language, ENGLISH]
    found = {
        article.language: article
        for article in KnowledgeArticle.objects.published().filter(slug=slug, language__in=languages)
        .defer("search_title", "search_body")
    }
    for code in languages:
        if code in found:
            return found[code]
    raise Http404


def translations_of(article: KnowledgeArticle) -> list[str]:
    """The other languages this article is published in, in the order of settings.LANGUAGES."""
    codes = set(
        KnowledgeArticle.objects.published().filter(slug=article.slug).exclude(pk=article.pk)
        .values_list("language", flat=True)
    )
    return [code for code, _ in settings.LANGUAGES if code in codes]


def article_index(language: str, area: str = ""):
    """One row per slug: the reader's language where it exists, else English; by title."""
    languages = [language] if language == ENGLISH else [language, ENGLISH]
    articles = KnowledgeArticle.objects.published().filter(language__in=languages)
    if area:
        articles = articles.for_area(area)
    preferred = articles.annotate(
        is_reader_language=Case(When(language=language, then=Value(True)), default=Value(False),
                                output_field=BooleanField())
    ).order_by("slug", "-is_reader_language").distinct("slug").only("slug", "language", "title", "areas")
    return KnowledgeArticle.objects.filter(pk__in=preferred.values("pk")).only(
        "slug", "language", "title", "areas", "updated_at"
    ).order_by("title", "slug")


def feedback_of(user, article: KnowledgeArticle):
    if not getattr(user, "is_authenticated", False):
        return None
    return ArticleFeedback.objects.filter(user=user, article=article).first()
