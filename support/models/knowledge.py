"""The knowledge base and the assistant's conversations (AST-1..4).

An article is one language version; translations share the slug. Its search vector is a stored,
generated column in the article's own text-search configuration (title weight A, body weight B)
with a GIN index, so retrieval is one index scan per language."""

import uuid

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hub.access import is_customer

from ..knowledge.text import SEARCH_CONFIGS, index_text, plain_text, render_markdown

HUB_AREA = "hub"  # articles about the hub itself (account, billing, renewals, preferences, support)


class SearchDocument(models.Expression):
    """setweight(to_tsvector(<config of language>, search_title), 'A') || … search_body 'B'.
    Each CASE branch is a constant regconfig, so the expression is immutable, as a generated
    column requires."""

    output_field = SearchVectorField()

    def as_sql(self, compiler, connection):
        branches = " ".join(
            f"WHEN '{language}' THEN '{config}'::regconfig" for language, config in SEARCH_CONFIGS.items()
        )
        config = f"(CASE language {branches} ELSE 'simple'::regconfig END)"
        sql = (
            f"setweight(to_tsvector({config}, coalesce(search_title, '')), 'A') || "
            f"setweight(to_tsvector({config}, coalesce(search_body, '')), 'B')"
        )
        return sql, []

    def __eq__(self, other):
        return isinstance(other, SearchDocument)

    def __hash__(self):
        return hash(type(self))


class KnowledgeArticleQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)

    def for_area(self, area_slug: str):
        """Articles of a product area; hub articles belong to every area."""
        return self.filter(areas__overlap=[area_slug, HUB_AREA])


def language_choices():
    return settings.LANGUAGES


class KnowledgeArticle(models.Model):
    """One language version of a help article. Loaded from support/kb_articles/<language>/<slug>.md
    by `manage.py load_knowledge_base`; staff may edit it in the admin, and an edited article is
    left alone by later loads unless forced."""

    slug = models.SlugField(_("slug"), max_length=120)
    language = models.CharField(_("language"), max_length=8, choices=language_choices)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("body (Markdown)"))
    areas = ArrayField(
        models.SlugField(max_length=60), verbose_name=_("product areas"), default=list,
        help_text=_("Product area slugs, comma-separated; \"hub\" for articles about the hub itself."),
    )
    is_published = models.BooleanField(_("published"), default=True)
    is_edited_by_staff = models.BooleanField(
        _("edited by staff"), default=False,
        help_text=_("Edited in the admin: loading the article files leaves it alone unless forced."),
    )
    source_hash = models.CharField(max_length=64, blank=True, editable=False)
    body_html = models.TextField(editable=False, blank=True)
    search_title = models.TextField(editable=False, blank=True)
    search_body = models.TextField(editable=False, blank=True)
    search_vector = models.GeneratedField(
        expression=SearchDocument(), output_field=SearchVectorField(), db_persist=True,
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)

    objects = KnowledgeArticleQuerySet.as_manager()

    class Meta:
        verbose_name = _("knowledge base article")
        verbose_name_plural = _("knowledge base articles")
        ordering = ["slug", "language"]
        constraints = [
            models.UniqueConstraint(fields=["language", "slug"], name="support_kb_language_slug"),
        ]
        indexes = [
            GinIndex(fields=["search_vector"], name="support_kb_search"),
            GinIndex(fields=["areas"], name="support_kb_areas"),
        ]

    def __str__(self):
        return f"{self.title} ({self.language})"

    def save(self, *args, **kwargs):
        self.prepare()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = set(update_fields) | {"body_html", "search_title", "search_body"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("help:article_detail", args=[self.slug])

    def prepare(self):
        """Derived columns: sanitized HTML and the text the search vector is built from."""
        self.body_html = render_markdown(self.body)
        self.search_title = index_text(self.language, self.title)
        self.search_body = index_text(self.language, plain_text(self.body))

    @property
    def url_in_language(self):
        return f"{self.get_absolute_url()}?language={self.language}"


class ArticleFeedback(models.Model):
    """"Was this helpful?" on a help page: one answer per person and article version (a second
    answer replaces the first)."""

    article = models.ForeignKey(KnowledgeArticle, on_delete=models.CASCADE, related_name="feedback")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    is_helpful = models.BooleanField(_("helpful"))
    created_at = models.DateTimeField(_("time"), default=timezone.now)

    class Meta:
        verbose_name = _("article feedback")
        verbose_name_plural = _("article feedback")
        constraints = [models.UniqueConstraint(fields=["article", "user"], name="support_kb_feedback_once")]

    def __str__(self):
        return f"{self.article} ({'+' if self.is_helpful else '-'})"


class AssistantConversationQuerySet(models.QuerySet):
    def visible_to(self, user):
        """A conversation is its asker's own: nobody else in the organization reads it."""
        if not is_customer(user):
            return self.none()
        return self.filter(user=user, organization_id=user.organization_id)


class AssistantConversation(models.Model):
    """Questions a customer asked the assistant about one product area (AST-1, AST-3, AST-4)."""

    class Outcome(models.TextChoices):
        OPEN = "open", _("Open")
        DEFLECTED = "deflected", _("Answered (deflected)")
        ESCALATED = "escalated", _("Contacted support")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organization = models.ForeignKey("hub.Organization", on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="assistant_conversations"
    )
    product_area = models.ForeignKey(
        "support.ProductArea", verbose_name=_("product area"), on_delete=models.PROTECT, related_name="+"
    )
    language = models.CharField(_("language"), max_length=8)
    outcome = models.CharField(_("outcome"), max_length=12, choices=Outcome.choices, default=Outcome.OPEN)
    ticket = models.ForeignKey(
        "support.Ticket", verbose_name=_("ticket"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="assistant_conversations",
    )
    created_at = models.DateTimeField(_("started"), default=timezone.now)
    updated_at = models.DateTimeField(_("last question"), default=timezone.now)

    objects = AssistantConversationQuerySet.as_manager()

    class Meta:
        verbose_name = _("assistant conversation")
        verbose_name_plural = _("assistant conversations")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["product_area", "created_at"], name="support_conv_area_time")]

    def __str__(self):
        return str(self.public_id)


class AssistantTurn(models.Model):
    """One question and the answer given, with the articles cited and the asker's verdict."""

    class Feedback(models.TextChoices):
        NONE = "", _("No answer yet")
        YES = "yes", _("Yes, it answered my question")
        NO = "no", _("No")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    conversation = models.ForeignKey(AssistantConversation, on_delete=models.CASCADE, related_name="turns")
    question = models.TextField(_("question"))
    answer = models.TextField(_("answer"), blank=True)
    is_answered = models.BooleanField(_("answered"), default=False)
    score = models.FloatField(_("best score"), default=0)
    backend = models.CharField(_("backend"), max_length=20, default="extractive")
    # [{"slug", "language", "title", "text"}] in the order cited.
    citations = models.JSONField(_("citations"), default=list, blank=True)
    cited_articles = models.ManyToManyField(KnowledgeArticle, blank=True, related_name="+")
    feedback = models.CharField(_("did it answer?"), max_length=3, choices=Feedback.choices, blank=True, default="")
    created_at = models.DateTimeField(_("time"), default=timezone.now)

    class Meta:
        verbose_name = _("assistant question")
        verbose_name_plural = _("assistant questions")
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(
                fields=["created_at"], name="support_turn_needs_work", condition=Q(is_answered=False) | Q(feedback="no")
            ),
        ]

    def __str__(self):
        return self.question[:80]


class KnowledgeTask(models.Model):
    """AST-4: an article that collected enough "No" votes; staff review it. One per article while
    open, with the questions that were not answered attached."""

    article = models.ForeignKey(KnowledgeArticle, on_delete=models.CASCADE, related_name="tasks")
    questions = models.JSONField(_("questions"), default=list)
    is_done = models.BooleanField(_("done"), default=False)
    created_at = models.DateTimeField(_("opened"), default=timezone.now)

    class Meta:
        verbose_name = _("knowledge base task")
        verbose_name_plural = _("knowledge base tasks")
        constraints = [
            models.UniqueConstraint(fields=["article"], condition=Q(is_done=False), name="support_kb_task_open_once"),
        ]

    def __str__(self):
        return str(self.article)
