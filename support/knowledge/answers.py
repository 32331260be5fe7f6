"""Composing the assistant's answer (AST-1, AST-2): retrieve articles for the question in the
product area (hub articles everywhere), reader's language first, and answer with the best
passages and links; below the score threshold, say so instead of guessing. With a generative
backend configured, it phrases the answer from the same passages and must cite them."""

import logging
from dataclasses import dataclass, field

from django.conf import settings

from .backends import BackendError, configured_backend
from .search import rank_passages, search_articles
from .text import BIGRAM_LANGUAGES

logger = logging.getLogger(__name__)
MAX_ARTICLES = 3
MAX_PASSAGES = 4


@dataclass
class Answer:
    is_answered: bool
    score: float
    text: str = ""
    backend: str = "extractive"
    # [{"slug", "language", "title", "heading", "text"}]: the passages shown / given, in order.
    citations: list = field(default_factory=list)
    article_ids: list = field(default_factory=list)


def min_score(language: str) -> float:
    """The score an article must reach to answer. Bigram-indexed (Japanese) articles have about
    twice as many terms and questions bring many bigrams that match nothing, so their scores run
    lower for the same relevance; they have their own threshold."""
    if language in BIGRAM_LANGUAGES:
        return settings.HUB_ASSISTANT_MIN_SCORE_BIGRAMS
    return settings.HUB_ASSISTANT_MIN_SCORE


def compose_answer(question: str, *, language: str, area: str) -> Answer:
    hits = search_articles(question, language=language, area=area, limit=MAX_ARTICLES, headlines=0, any_term=True)
    best = hits[0].rank if hits else 0.0
    if not hits or best < min_score(hits[0].article.language):
        return Answer(is_answered=False, score=best)
    # Only articles reasonably close to the best one: a faint second match is noise.
    hits = [hit for hit in hits if hit.rank >= max(min_score(hit.article.language), best / 3)]
    rank_passages(hits, question)
    citations, article_ids = [], []
    for hit in hits:
        chosen = hit.passages or [("", hit.article.title, 0.0)]
        for heading, text, _score in chosen:
            if len(citations) < MAX_PASSAGES:
                citations.append({"slug": hit.article.slug, "language": hit.article.language,
                                  "title": hit.article.title, "heading": heading, "text": text})
                if hit.article.pk not in article_ids:
                    article_ids.append(hit.article.pk)
    answer = Answer(is_answered=True, score=best, citations=citations, article_ids=article_ids)
    backend = configured_backend()
    if backend is not None:
        try:
            generated = backend.answer(question, [c["text"] for c in citations], language)
        except BackendError as error:
            logger.warning("generative assistant backend failed, answering extractively: %s", error)
        else:
            if generated.cited:
                answer.text, answer.backend = generated.text, backend.name
                for number, citation in enumerate(citations, start=1):
                    citation["number"] = number
                    citation["is_cited"] = number in generated.cited
            else:
                logger.info("generative answer cited no passage; answering extractively")
    return answer
