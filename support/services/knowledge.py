"""Writes around the knowledge base: "Was this helpful?" on help pages."""

from django.db import transaction
from django.utils import timezone

from ..models import ArticleFeedback, KnowledgeArticle


def record_article_feedback(*, actor, article: KnowledgeArticle, is_helpful: bool) -> ArticleFeedback:
    """One answer per person and article version; answering again replaces it."""
    with transaction.atomic():
        feedback, _ = ArticleFeedback.objects.update_or_create(
            article=article, user=actor, defaults={"is_helpful": is_helpful, "created_at": timezone.now()},
        )
    return feedback
