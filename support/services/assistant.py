"""The assistant's writes (AST-1, AST-3, AST-4): asking, the "Did this answer your question?"
verdict, knowledge-base tasks from "No" votes, and carrying a conversation into a ticket."""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from hub.access import is_customer

from ..knowledge.answers import compose_answer
from ..models import AssistantConversation, AssistantTurn, KnowledgeTask, ProductArea, Ticket

Outcome = AssistantConversation.Outcome


def ask_assistant(*, actor, area: ProductArea, question: str, language: str,
                  conversation: AssistantConversation | None = None) -> AssistantTurn:
    """Answer `question` from the knowledge base and store it, starting a conversation unless one
    of the actor's own is given. An unanswered question is stored too (staff see them)."""
    if not is_customer(actor):
        raise PermissionDenied("Only customer accounts ask the assistant.")
    if conversation is not None and conversation.user_id != actor.pk:
        raise PermissionDenied("Not this person's conversation.")
    question = question.strip()
    answer = compose_answer(question, language=language, area=area.slug)
    now = timezone.now()
    with transaction.atomic():
        if conversation is None:
            conversation = AssistantConversation.objects.create(
                organization_id=actor.organization_id, user=actor, product_area=area, language=language,
                created_at=now, updated_at=now,
            )
        else:
            conversation.updated_at = now
            conversation.save(update_fields=["updated_at"])
        turn = AssistantTurn.objects.create(
            conversation=conversation, question=question, answer=answer.text, is_answered=answer.is_answered,
            score=answer.score, backend=answer.backend, citations=answer.citations, created_at=now,
        )
        if answer.article_ids:
            turn.cited_articles.set(answer.article_ids)
    return turn


def record_answer_feedback(*, actor, turn: AssistantTurn, answered: bool) -> AssistantTurn:
    """Yes: the conversation is resolved and counts as deflected. No: the turn is marked, and an
    article cited in enough "No" answers gets one open knowledge-base task (not one per vote)."""
    with transaction.atomic():
        turn = AssistantTurn.objects.select_for_update().select_related("conversation").get(pk=turn.pk)
        conversation = turn.conversation
        if conversation.user_id != actor.pk:
            raise PermissionDenied("Not this person's conversation.")
        turn.feedback = AssistantTurn.Feedback.YES if answered else AssistantTurn.Feedback.NO
        turn.save(update_fields=["feedback"])
        if answered and conversation.outcome == Outcome.OPEN:
            conversation.outcome = Outcome.DEFLECTED
            conversation.save(update_fields=["outcome"])
        if not answered:
            _open_tasks_for(turn)
    return turn


def _open_tasks_for(turn: AssistantTurn) -> None:
    threshold = settings.HUB_ASSISTANT_NO_VOTES_FOR_TASK
    for article in turn.cited_articles.all():
        no_turns = AssistantTurn.objects.filter(cited_articles=article, feedback=AssistantTurn.Feedback.NO)
        if no_turns.count() < threshold:
            continue
        if KnowledgeTask.objects.filter(article=article, is_done=False).exists():
            continue
        questions = list(no_turns.order_by("created_at").values_list("question", flat=True)[:50])
        try:
            with transaction.atomic():
                KnowledgeTask.objects.create(article=article, questions=questions)
        except IntegrityError:  # opened by a concurrent "No": once is enough
            pass


def transcript(conversation: AssistantConversation) -> str:
    """The conversation as plain text for a ticket: questions, answers, the articles cited and
    the verdicts, in the hub's default language (support staff read it)."""
    with override(settings.LANGUAGE_CODE):
        lines = [_("Conversation with the support assistant — product area: %(area)s")
                 % {"area": conversation.product_area.name}]
        for turn in conversation.turns.all():
            lines.append("")
            lines.append(_("Question: %(question)s") % {"question": turn.question})
            if not turn.is_answered:
                lines.append(_("Answer: the assistant did not know."))
            elif turn.answer:
                lines.append(_("Answer: %(answer)s") % {"answer": turn.answer})
            else:
                lines.append(_("Answer: passages from the articles below."))
            for citation in turn.citations:
                url = (settings.HUB_PUBLIC_URL + reverse("help:article_detail", args=[citation["slug"]])
                       + f"?language={citation['language']}")
                lines.append(_("Article: %(title)s (%(url)s)") % {"title": citation["title"], "url": url})
            if turn.feedback:
                lines.append(_("Did this answer the question? %(verdict)s")
                             % {"verdict": _("Yes") if turn.feedback == AssistantTurn.Feedback.YES else _("No")})
    return "\n".join(lines)


def with_transcript(description: str, conversation: AssistantConversation | None) -> str:
    """A request's description followed by the conversation that led to it (AST-3)."""
    if conversation is None:
        return description
    return f"{description.strip()}\n\n{transcript(conversation)}"


def link_conversation_to_ticket(*, actor, conversation: AssistantConversation, ticket: Ticket) -> None:
    """The ticket that followed the conversation: the conversation counts as escalated."""
    if conversation.user_id != actor.pk or ticket.requester_id != actor.pk:
        raise PermissionDenied("Not this person's conversation or ticket.")
    conversation.ticket = ticket
    conversation.outcome = Outcome.ESCALATED
    conversation.save(update_fields=["ticket", "outcome"])
