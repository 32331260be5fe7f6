"""ADM-2, AST-4: staff edit the knowledge base (their edits win over the files) and see the
assistant's conversations, deflection rate per area and week, and unanswered or "No" questions."""

import pytest
from django.urls import reverse

from hub import staff
from support.knowledge.loader import load_articles
from support.models import AssistantConversation, AssistantTurn, KnowledgeArticle, ProductArea
from tests.factories import KnowledgeArticleFactory, staff_member

pytestmark = pytest.mark.django_db


def test_an_article_edited_in_the_admin_is_kept_by_the_next_load(client_for, tmp_path):
    (tmp_path / "en").mkdir()
    (tmp_path / "en" / "callbacks.md").write_text("---\ntitle: Request a callback\nareas: hub\n---\nBody.\n")
    load_articles(tmp_path)
    article = KnowledgeArticle.objects.get()
    client = client_for(staff_member(staff.SUPPORT_AGENTS))
    response = client.post(reverse("admin:support_knowledgearticle_change", args=[article.pk]), {
        "title": "Request a phone callback", "slug": "callbacks", "language": "en", "areas": "hub,surveys",
        "body": "## New\n\nEdited by staff.", "is_published": "on",
    })
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.is_edited_by_staff and article.areas == ["hub", "surveys"] and "<h2>New</h2>" in article.body_html
    (tmp_path / "en" / "callbacks.md").write_text("---\ntitle: Changed file\nareas: hub\n---\nBody 2.\n")
    assert load_articles(tmp_path).skipped_staff_edits == ["en/callbacks"]
    article.refresh_from_db()
    assert article.title == "Request a phone callback"


def test_the_report_shows_deflection_per_area_and_week_and_questions_to_review(client_for, cast):
    surveys, sso = ProductArea.objects.get(slug="surveys"), ProductArea.objects.get(slug="sso")
    outcomes = [(surveys, "deflected"), (surveys, "deflected"), (surveys, "escalated"), (surveys, "open"),
                (sso, "open")]
    for area, outcome in outcomes:
        conversation = AssistantConversation.objects.create(
            organization=cast.northwind, user=cast.standard_user, product_area=area, language="en", outcome=outcome)
        AssistantTurn.objects.create(conversation=conversation, question=f"{area.slug} {outcome} question",
                                     is_answered=outcome != "open", feedback="no" if outcome == "escalated" else "")
    client = client_for(staff_member(staff.CUSTOMER_SUCCESS))
    html = client.get(reverse("admin:support_assistant_report")).content.decode()
    assert "<td>Surveys &amp; XM Directory</td><td>4</td><td>2</td><td>1</td><td>50%</td>" in html
    assert "<td>SSO settings</td><td>1</td><td>0</td><td>0</td><td>0%</td>" in html
    assert "surveys escalated question" in html and "Answer marked No" in html
    assert "surveys open question" in html and "Not answered" in html
    assert "surveys deflected question" not in html
    assert client.get(reverse("admin:support_assistantconversation_changelist")).status_code == 200


def test_account_services_staff_do_not_see_the_assistant(client_for, cast):
    client = client_for(staff_member(staff.ACCOUNT_SERVICES))
    assert client.get(reverse("admin:support_assistant_report")).status_code == 403
    assert client.get(reverse("admin:support_knowledgearticle_changelist")).status_code == 403


def test_staff_pages_for_articles_and_questions_open(client_for):
    KnowledgeArticleFactory(slug="a", title="An article")
    client = client_for(staff_member(staff.SUPPORT_AGENTS))
    for name in ("knowledgearticle", "assistantturn", "knowledgetask", "articlefeedback"):
        assert client.get(reverse(f"admin:support_{name}_changelist")).status_code == 200
