"""Knowledge base editing and the assistant's learning loop in the admin (ADM-2, AST-4): articles,
conversations with their questions, the deflection report per product area and week, unanswered
and "No" questions, and the knowledge-base tasks opened from "No" votes."""

from datetime import timedelta

from django.contrib import admin
from django.db.models import Count, Q
from django.db.models.functions import TruncWeek
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from ..models import ArticleFeedback, AssistantConversation, AssistantTurn, KnowledgeArticle, KnowledgeTask

REPORT_WEEKS = 12


@admin.register(KnowledgeArticle)
class KnowledgeArticleAdmin(admin.ModelAdmin):
    list_display = ["title", "slug", "language", "areas", "is_published", "is_edited_by_staff", "updated_at"]
    list_filter = ["language", "is_published", "is_edited_by_staff"]
    search_fields = ["title", "slug", "body"]
    fields = ["title", "slug", "language", "areas", "body", "is_published", "is_edited_by_staff", "updated_at"]
    readonly_fields = ["is_edited_by_staff", "updated_at"]
    ordering = ["slug", "language"]

    def save_model(self, request, obj, form, change):
        # Staff edits win over the article files: later loads keep them (unless forced).
        obj.is_edited_by_staff = True
        obj.updated_at = timezone.now()
        super().save_model(request, obj, form, change)


@admin.register(ArticleFeedback)
class ArticleFeedbackAdmin(admin.ModelAdmin):
    list_display = ["article", "is_helpful", "created_at"]
    list_filter = ["is_helpful", "article__language"]
    list_select_related = ["article"]
    search_fields = ["article__title", "article__slug"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class AssistantTurnInline(admin.TabularInline):
    model = AssistantTurn
    fields = ["created_at", "question", "is_answered", "score", "backend", "sources", "feedback"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    @admin.display(description=_("articles cited"))
    def sources(self, turn):
        return ", ".join(f"{c['title']} ({c['language']})" for c in turn.citations) or "—"

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(AssistantConversation)
class AssistantConversationAdmin(admin.ModelAdmin):
    list_display = ["created_at", "product_area", "language", "outcome", "question_count", "ticket_link"]
    list_filter = ["outcome", "product_area", "language", "created_at"]
    list_select_related = ["product_area", "ticket"]
    search_fields = ["turns__question", "user__email", "organization__name"]
    fields = ["public_id", "organization", "user", "product_area", "language", "outcome", "ticket", "created_at",
              "updated_at"]
    readonly_fields = fields
    inlines = [AssistantTurnInline]
    date_hierarchy = "created_at"

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(questions=Count("turns"))

    @admin.display(description=_("questions"), ordering="questions")
    def question_count(self, conversation):
        return conversation.questions

    @admin.display(description=_("ticket"))
    def ticket_link(self, conversation):
        if conversation.ticket is None:
            return "—"
        return format_html('<a href="{}">{}</a>', reverse("admin:support_ticket_change", args=[conversation.ticket_id]),
                           conversation.ticket.reference)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_urls(self):
        report = self.admin_site.admin_view(self.report_view)
        return [path("report/", report, name="support_assistant_report"), *super().get_urls()]

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "report_url": reverse("admin:support_assistant_report")}
        return super().changelist_view(request, extra_context)

    def report_view(self, request):
        """Deflection rate per product area and week: conversations resolved by a Yes, out of all
        conversations started that week."""
        if not self.has_view_permission(request):
            from django.core.exceptions import PermissionDenied

            raise PermissionDenied
        since = timezone.now() - timedelta(weeks=REPORT_WEEKS)
        rows = (
            AssistantConversation.objects.filter(created_at__gte=since)
            .annotate(week=TruncWeek("created_at"))
            .values("week", "product_area__name")
            .annotate(
                total=Count("pk"),
                deflected=Count("pk", filter=Q(outcome=AssistantConversation.Outcome.DEFLECTED)),
                escalated=Count("pk", filter=Q(outcome=AssistantConversation.Outcome.ESCALATED)),
            )
            .order_by("-week", "product_area__name")
        )
        for row in rows:
            row["rate"] = round(100 * row["deflected"] / row["total"]) if row["total"] else 0
        needs_work = (
            AssistantTurn.objects.filter(Q(is_answered=False) | Q(feedback=AssistantTurn.Feedback.NO),
                                         created_at__gte=since)
            .select_related("conversation__product_area").order_by("-created_at")[:100]
        )
        context = {
            **self.admin_site.each_context(request),
            "title": _("Assistant: deflection and unanswered questions"),
            "opts": self.model._meta,
            "rows": rows,
            "needs_work": needs_work,
            "weeks": REPORT_WEEKS,
        }
        return TemplateResponse(request, "admin/support/assistant_report.html", context)


@admin.register(AssistantTurn)
class AssistantTurnAdmin(admin.ModelAdmin):
    """Every question asked; filter to the unanswered and the "No" ones to see what is missing."""

    list_display = ["created_at", "question", "area", "is_answered", "feedback", "score"]
    list_filter = ["is_answered", "feedback", "conversation__product_area", "conversation__language"]
    list_select_related = ["conversation__product_area"]
    search_fields = ["question"]
    fields = ["conversation", "question", "answer", "is_answered", "score", "backend", "citations", "feedback",
              "created_at"]
    readonly_fields = fields

    @admin.display(description=_("product area"), ordering="conversation__product_area__name")
    def area(self, turn):
        return turn.conversation.product_area

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(KnowledgeTask)
class KnowledgeTaskAdmin(admin.ModelAdmin):
    list_display = ["article", "created_at", "question_count", "is_done"]
    list_filter = ["is_done"]
    list_editable = ["is_done"]
    list_select_related = ["article"]
    fields = ["article", "questions", "created_at", "is_done"]
    readonly_fields = ["article", "questions", "created_at"]

    @admin.display(description=_("questions"))
    def question_count(self, task):
        return len(task.questions)

    def has_add_permission(self, request):
        return False
