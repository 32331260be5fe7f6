"""Retrieval (AST-2): PostgreSQL full-text search over the articles' stored search vectors.

One query finds and ranks the published articles in the reader's language and in English (each
matched with a query parsed in its own configuration, so both use the GIN index); a second query
computes headlines for the top results only. Results in the reader's language come first, then
English articles that have no matching version in the reader's language.

`websearch_to_tsquery` parses what people type ("quoted phrases", -exclusions, or). A search box
wants every word (AND); a question to the assistant is a sentence, so there every term may match
(OR) and ranking decides."""

import re
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import BooleanField, FloatField
from django.db.models.expressions import RawSQL
from django.utils.html import escape
from django.utils.safestring import mark_safe

from ..models.knowledge import KnowledgeArticle
from .text import BIGRAM_LANGUAGES, ENGLISH, config_for, passages, query_text

HEADLINE_OPTIONS = "MaxFragments=2, MinWords=8, MaxWords=28, StartSel=\x02, StopSel=\x03, FragmentDelimiter=\x04"
MAX_QUERY_LENGTH = 500
EXCLUSION_RE = re.compile(r"(?:^|\s)-\S+")


@dataclass
class Hit:
    article: KnowledgeArticle
    rank: float
    headline: str = ""
    passages: list = field(default_factory=list)  # [(heading, text, score)] best first


def search_languages(language: str) -> list[str]:
    return [language] if language == ENGLISH else [language, ENGLISH]


def _tsquery_sql(language: str, any_term: bool) -> str:
    config = config_for(language)
    parsed = f"websearch_to_tsquery('{config}'::regconfig, %s)"
    if any_term:
        # websearch's AND between terms becomes OR; phrases (<->) and exclusions (!) stay.
        return f"replace({parsed}::text, ' & ', ' | ')::tsquery"
    return parsed


def search_articles(query: str, *, language: str, area: str | None = None, limit: int = 10,
                    headlines: int = 3, any_term: bool = False) -> list[Hit]:
    """The best published articles for `query`, reader's language first, then English."""
    query = (query or "").strip()[:MAX_QUERY_LENGTH]
    if any_term:
        query = _without_exclusions(query)
    if not query:
        return []
    languages = search_languages(language)
    where, rank_cases, where_params, rank_params = [], [], [], []
    for code in languages:
        tsquery = _tsquery_sql(code, any_term)
        prepared = query_text(code, query)
        where.append(f"(language = %s AND search_vector @@ {tsquery})")
        where_params += [code, prepared]
        rank_cases.append(f"WHEN language = %s THEN ts_rank(search_vector, {tsquery}, 1)")
        rank_params += [code, prepared]
    rank_sql = f"CASE {' '.join(rank_cases)} ELSE 0 END"
    articles = KnowledgeArticle.objects.published()
    if area:
        articles = articles.for_area(area)
    found = list(
        articles.filter(RawSQL(" OR ".join(where), where_params, output_field=BooleanField()))
        .annotate(rank=RawSQL(rank_sql, rank_params, output_field=FloatField()))
        .defer("body_html", "search_title", "search_body")
        .order_by("-rank", "slug")[: limit * len(languages)]
    )
    ordered, slugs = [], set()
    for code in languages:
        for article in found:
            if article.language == code and article.slug not in slugs:
                slugs.add(article.slug)
                ordered.append(Hit(article=article, rank=article.rank))
    hits = ordered[:limit]
    if headlines:
        _add_headlines(hits[:headlines], query, any_term)
    return hits


def _without_exclusions(query: str) -> str:
    """With OR between terms, an exclusion (-word) would match every article lacking the word."""
    return EXCLUSION_RE.sub(" ", query).strip()


def _add_headlines(hits: list[Hit], query: str, any_term: bool) -> None:
    """ts_headline for the given hits, one query; Japanese excerpts come from the best passage
    (a headline over bigrams would show bigrams)."""
    stemmed = [hit for hit in hits if hit.article.language not in BIGRAM_LANGUAGES]
    if stemmed:
        cases, params = [], []
        for code in {hit.article.language for hit in stemmed}:
            config = config_for(code)
            cases.append(
                f"WHEN language = %s THEN ts_headline('{config}'::regconfig, search_body, "
                f"{_tsquery_sql(code, any_term)}, %s)"
            )
            params += [code, query_text(code, query), HEADLINE_OPTIONS]
        rows = KnowledgeArticle.objects.filter(pk__in=[hit.article.pk for hit in stemmed]).annotate(
            headline=RawSQL(f"CASE {' '.join(cases)} ELSE '' END", params)
        ).values_list("pk", "headline")
        by_pk = dict(rows)
        for hit in stemmed:
            hit.headline = _marked(by_pk.get(hit.article.pk, ""))
    bigram = [hit for hit in hits if hit.article.language in BIGRAM_LANGUAGES]
    if bigram:  # one query for all of them
        for hit in rank_passages(bigram, query, any_term=True):
            hit.headline = escape(hit.passages[0][1]) if hit.passages else ""


def _marked(headline: str) -> str:
    """ts_headline's plain-text output, escaped, with its match markers as <mark> and fragments
    joined by an ellipsis."""
    text = escape(headline)
    text = text.replace("\x02", "<mark>").replace("\x03", "</mark>").replace("\x04", " … ")
    return mark_safe(text)  # noqa: S308 - escaped above; only our own markers become tags


def rank_passages(hits: list[Hit], query: str, *, any_term: bool = True, per_article: int = 2) -> list[Hit]:
    """Score each paragraph of the hits' articles against the query (one query for all), and keep
    each article's best `per_article` passages that match at all."""
    if any_term:
        query = _without_exclusions(query)
    rows = []
    for index, hit in enumerate(hits):
        code = hit.article.language
        for number, (heading, text) in enumerate(passages(hit.article.body)):
            indexed = query_text(code, f"{heading} {text}" if heading else text)
            rows.append((index, number, config_for(code), query_text(code, query), indexed, heading, text))
    if not rows:
        return hits
    operator = "' | '" if any_term else "' & '"
    sql = (
        "SELECT i, n, ts_rank(setweight(to_tsvector(c::regconfig, p), 'B'), "
        f"replace(websearch_to_tsquery(c::regconfig, q)::text, ' & ', {operator})::tsquery, 1) "
        "FROM unnest(%s::int[], %s::int[], %s::text[], %s::text[], %s::text[]) AS t(i, n, c, q, p)"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [[r[0] for r in rows], [r[1] for r in rows], [r[2] for r in rows],
                             [r[3] for r in rows], [r[4] for r in rows]])
        scores = {(i, n): score for i, n, score in cursor.fetchall()}
    for index, hit in enumerate(hits):
        mine = [(scores.get((index, r[1]), 0.0), r[1], r[5], r[6]) for r in rows if r[0] == index]
        best = sorted((m for m in mine if m[0] > 0), key=lambda m: (-m[0], m[1]))[:per_article]
        hit.passages = [(heading, text, score) for score, _, heading, text in sorted(best, key=lambda m: m[1])]
    return hits
