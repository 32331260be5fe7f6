"""AST-1, AST-3, SUP-4: the assistant answers from the knowledge base with links, says when it
does not know, asks "Did this answer your question?", and carries the conversation into a ticket."""

from datetime import UTC, datetime

import pytest
import time_machine
from django.conf import settings
from django.test import override_settings
from django.urls import reverse

from support.models import AssistantConversation, AssistantTurn, KnowledgeTask, Ticket
from tests.factories import KnowledgeArticleFactory, StaffUserFactory, UserFactory

pytestmark = pytest.mark.django_db
ASK = reverse("support:assistant", args=["surveys"])
# A Wednesday afternoon in Mountain Time: chat hours, English email and phone open.
WEDNESDAY = datetime(2026, 3, 11, 18, 0, tzinfo=UTC)

EXPORT_BODY = """Responses can be downloaded from the Data & Analysis tab.

## Export responses

Open **Data & Analysis**, choose *Export & Import*, then *Export data*. Pick CSV or Excel and
select **Download**. Large exports are emailed to you when they are ready.

## Scheduled exports

An automation can send the export to an SFTP server every day.
"""


@pytest.fixture
def articles(db):
    return {
        "export": KnowledgeArticleFactory(slug="export-responses", title="Export survey responses",
                                          body=EXPORT_BODY, areas=["surveys"]),
        "export_de": KnowledgeArticleFactory(
            slug="export-responses", language="de", title="Umfrageantworten exportieren", areas=["surveys"],
            body="## Antworten exportieren\n\nÖffnen Sie **Daten & Analyse** und wählen Sie *Daten exportieren*. "
                 "Wählen Sie CSV oder Excel und laden Sie die Datei herunter."),
        "org_id": KnowledgeArticleFactory(slug="find-organization-id", title="How to find your organization ID",
                                          body="## Where\n\nYour organization ID is on the Account information page.",
                                          areas=["hub"]),
        "sso": KnowledgeArticleFactory(slug="sso-certificate", title="Rotate the SSO certificate",
                                       body="Upload the new signing certificate before the old one expires.",
                                       areas=["sso"]),
    }


def ask(client, question, url=ASK, **headers):
    return client.post(url, {"question": question}, headers=headers)


def conversation_url(conversation):
    return reverse("support:assistant_conversation", args=[conversation.public_id])


def test_choosing_an_area_opens_the_assistant_with_a_person_always_in_reach(client_for, cast):
    html = client_for(cast.standard_user).get(reverse("support:area_list")).content.decode()
    assert f'href="{ASK}"' in html
    html = client_for(cast.standard_user).get(ASK).content.decode()
    assert "Ask the support assistant" in html and "Talk to a person" in html
    assert reverse("support:contact_methods", args=["surveys"]) in html


def test_a_question_is_answered_with_the_best_passages_and_links(client_for, cast, articles):
    client = client_for(cast.standard_user)
    response = ask(client, "How do I export my survey responses to Excel?")
    turn = AssistantTurn.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"#answer-{turn.public_id}")
    html = client.get(response["Location"]).content.decode()
    assert "How do I export my survey responses to Excel?" in html
    assert "Pick CSV or Excel" in html  # the passage itself
    assert 'href="/help/export-responses/?language=en"' in html and "Export survey responses" in html
    assert "Did this answer your question?" in html and "Talk to a person" in html
    assert turn.is_answered and turn.citations[0]["slug"] == "export-responses"
    assert list(turn.cited_articles.all()) == [articles["export"]]
    assert turn.conversation.product_area.slug == "surveys" and turn.conversation.user == cast.standard_user


def test_the_assistant_says_it_does_not_know_below_the_threshold(client_for, cast, articles):
    client = client_for(cast.standard_user)
    html = client.get(ask(client, "Zeppelin maintenance intervals?")["Location"]).content.decode()
    assert "I don't know the answer to that." in html
    assert "Did this answer your question?" not in html
    assert reverse("support:assistant_contact", args=[AssistantConversation.objects.get().public_id]) in html
    turn = AssistantTurn.objects.get()
    assert not turn.is_answered and turn.citations == []


def test_a_faint_match_in_one_body_word_is_not_an_answer(client_for, cast, articles):
    # "automation" appears once in the export article's body: below the threshold.
    ask(client_for(cast.standard_user), "my automation broke down yesterday with an error")
    turn = AssistantTurn.objects.get()
    assert not turn.is_answered and 0 < turn.score < 0.05


def test_articles_of_other_areas_are_not_used_but_hub_articles_are(client_for, cast, articles):
    client = client_for(cast.standard_user)
    ask(client, "When does the SSO signing certificate expire?")
    assert not AssistantTurn.objects.get().is_answered
    ask(client, "Where is my organization ID?")
    assert AssistantTurn.objects.order_by("pk").last().citations[0]["slug"] == "find-organization-id"


def test_german_readers_get_the_german_article(client_for, cast, articles):
    cast.standard_user.language = "de"
    cast.standard_user.save(update_fields=["language"])
    client = client_for(cast.standard_user)
    html = client.get(ask(client, "Wie exportiere ich Antworten als Excel-Datei?")["Location"]).content.decode()
    assert "Umfrageantworten exportieren" in html and 'href="/help/export-responses/?language=de"' in html
    assert AssistantConversation.objects.get().language == "de"


def test_asking_with_htmx_swaps_the_chat_and_pushes_the_conversation_url(client_for, cast, articles):
    response = ask(client_for(cast.standard_user), "export responses", **{"HX-Request": "true"})
    html = response.content.decode()
    assert response.status_code == 200 and 'id="assistant-chat"' in html and "<html" not in html
    assert response["HX-Push-Url"] == conversation_url(AssistantConversation.objects.get())


@pytest.mark.parametrize("htmx", [False, True])
def test_an_empty_question_is_refused_at_the_field(client_for, cast, htmx):
    headers = {"HX-Request": "true"} if htmx else {}
    response = ask(client_for(cast.standard_user), "  ", **headers)
    assert response.status_code == 422 and "Write your question." in response.content.decode()
    assert not AssistantConversation.objects.exists()


def test_another_question_continues_the_same_conversation(client_for, cast, articles):
    client = client_for(cast.standard_user)
    ask(client, "export responses")
    conversation = AssistantConversation.objects.get()
    ask(client, "Where is my organization ID?", url=conversation_url(conversation))
    assert AssistantConversation.objects.count() == 1 and conversation.turns.count() == 2


def test_yes_resolves_the_conversation_as_deflected(client_for, cast, articles):
    client = client_for(cast.standard_user)
    ask(client, "export responses")
    turn = AssistantTurn.objects.get()
    url = reverse("support:assistant_feedback", args=[turn.conversation.public_id, turn.public_id])
    response = client.post(url, {"answered": "yes"}, headers={"HX-Request": "true"})
    assert "Glad it helped." in response.content.decode()
    turn.refresh_from_db()
    assert turn.feedback == "yes" and turn.conversation.outcome == AssistantConversation.Outcome.DEFLECTED
    assert client.post(url, {"answered": "perhaps"}).status_code == 422
    assert client.get(url).status_code == 405


@time_machine.travel(WEDNESDAY, tick=False)
def test_no_then_contact_support_carries_transcript_area_and_citations_into_the_ticket(client_for, cast, articles):
    client = client_for(cast.standard_user)
    ask(client, "How do I export my survey responses to Excel?")
    turn = AssistantTurn.objects.get()
    conversation = turn.conversation
    feedback = reverse("support:assistant_feedback", args=[conversation.public_id, turn.public_id])
    html = client.get(client.post(feedback, {"answered": "no"})["Location"]).content.decode()
    assert "Ask another question" in html and "Contact support" in html
    html = client.get(reverse("support:assistant_contact", args=[conversation.public_id])).content.decode()
    email_url = reverse("support:email_request_create", args=["surveys"])
    assert "Open now" in html and email_url in html and f"conversation={conversation.public_id}" in html
    form_url = f"{email_url}?language=en&conversation={conversation.public_id}"
    assert "Your conversation with the assistant" in client.get(form_url).content.decode()
    response = client.post(form_url, {"subject": "Export is empty", "language": "en",
                                      "description": "The exported Excel file has no rows at all."})
    assert response.status_code == 302
    ticket = Ticket.objects.get()
    assert ticket.product_area.slug == "surveys"
    assert ticket.description.startswith("The exported Excel file has no rows at all.")
    assert "Question: How do I export my survey responses to Excel?" in ticket.description
    assert (f"Article: Export survey responses ({settings.HUB_PUBLIC_URL}/help/export-responses/?language=en)"
            in ticket.description)
    assert "Did this answer the question? No" in ticket.description
    conversation.refresh_from_db()
    assert conversation.ticket == ticket and conversation.outcome == AssistantConversation.Outcome.ESCALATED


def test_a_foreign_conversation_id_is_not_carried_into_a_ticket(client_for, cast, articles):
    ask(client_for(cast.brand_admin), "export responses")
    foreign = AssistantConversation.objects.get()
    client = client_for(cast.standard_user)
    url = f"{reverse('support:email_request_create', args=['surveys'])}?language=en&conversation={foreign.public_id}"
    html = client.get(url).content.decode()
    assert "Your conversation with the assistant" not in html


def test_free_users_may_ask_and_are_pointed_to_the_community(client_for, cast, articles):
    client = client_for(cast.free_user)
    ask(client, "Zeppelin?")
    conversation = AssistantConversation.objects.get()
    html = client.get(reverse("support:assistant_contact", args=[conversation.public_id])).content.decode()
    assert "The Free plan includes the support assistant" in html
    assert reverse("support:email_request_create", args=["surveys"]) not in html


@pytest.mark.parametrize("name", ["conversation", "feedback", "contact"])
@pytest.mark.parametrize("persona", ["outsider", "brand_admin"])
def test_someone_elses_conversation_answers_404(client_for, cast, articles, name, persona):
    ask(client_for(cast.standard_user), "export responses")
    turn = AssistantTurn.objects.get()
    public_id = turn.conversation.public_id
    urls = {
        "conversation": reverse("support:assistant_conversation", args=[public_id]),
        "feedback": reverse("support:assistant_feedback", args=[public_id, turn.public_id]),
        "contact": reverse("support:assistant_contact", args=[public_id]),
    }
    client = client_for(getattr(cast, persona))
    response = client.post(urls[name], {"answered": "yes", "question": "hello there"}) if name != "contact" \
        else client.get(urls[name])
    assert response.status_code == 404
    turn.refresh_from_db()
    assert turn.feedback == "" and AssistantTurn.objects.count() == 1


def test_staff_and_anonymous_visitors_do_not_use_the_customer_assistant(client, client_for, db):
    assert client.get(ASK).status_code == 302  # sign in first
    assert client_for(StaffUserFactory()).get(ASK).status_code == 404
    assert client_for(StaffUserFactory()).get(reverse("support:assistant", args=["no-such-area"])).status_code == 404


@override_settings(HUB_SUPPORT_RATE_LIMITS={"assistant_question": "2/m/user"})
def test_questions_are_rate_limited_per_user(client_for, cast, articles):
    client = client_for(cast.standard_user)
    ask(client, "export responses")
    ask(client, "export responses")
    response = ask(client, "export responses")
    assert response.status_code == 422 and "please wait 1 minute" in response.content.decode()
    assert AssistantTurn.objects.count() == 2


@override_settings(HUB_ASSISTANT_NO_VOTES_FOR_TASK=2)
def test_an_article_with_enough_no_votes_opens_one_task_with_the_questions(client_for, cast, articles):
    for user, question in ((cast.standard_user, "export responses to excel"), (cast.brand_admin, "export csv"),
                           (cast.billing_contact, "export survey data")):
        client = client_for(user)
        ask(client, question)
        turn = AssistantTurn.objects.order_by("pk").last()
        client.post(reverse("support:assistant_feedback", args=[turn.conversation.public_id, turn.public_id]),
                    {"answered": "no"})
    task = KnowledgeTask.objects.get()
    assert task.article == articles["export"]
    assert task.questions == ["export responses to excel", "export csv"]


def test_the_conversation_page_keeps_a_fixed_query_budget(client_for, cast, articles, count_queries):
    client = client_for(cast.standard_user)
    ask(client, "export responses")
    conversation = AssistantConversation.objects.get()
    url = conversation_url(conversation)
    one = count_queries(lambda: client.get(url))
    for number in range(19):
        ask(client, f"export responses {number}", url=url)
    assert conversation.turns.count() == 20
    assert count_queries(lambda: client.get(url)) == one <= 12
    assert count_queries(lambda: client.get(ASK)) <= 12
    with time_machine.travel(WEDNESDAY, tick=False):
        assert count_queries(lambda: client.get(reverse("support:assistant_contact", args=[conversation.public_id]))) <= 12


def test_asking_keeps_a_fixed_query_budget(client_for, cast, articles, count_queries):
    client = client_for(cast.standard_user)
    for number in range(20):
        KnowledgeArticleFactory(slug=f"export-{number}", title=f"Export {number}", body=EXPORT_BODY, areas=["surveys"])
    assert count_queries(lambda: ask(client, "export responses")) <= 12


def test_other_users_in_the_organization_start_their_own_conversations(client_for, cast, articles):
    ask(client_for(cast.standard_user), "export responses")
    colleague = UserFactory(organization=cast.northwind)
    ask(client_for(colleague), "export responses")
    assert AssistantConversation.objects.filter(user=colleague).count() == 1


def test_a_japanese_question_is_answered_from_the_japanese_article(client_for, cast, articles):
    article = KnowledgeArticleFactory(
        slug="find-organization-id", language="ja", title="組織IDを確認する方法", areas=["hub"],
        body="## 確認する場所\n\n組織IDは、プロフィールメニューの「アカウント情報」ページに表示されます。"
             "サポートへのお問い合わせの際に組織IDをお伝えください。\n\n## 管理者\n\n"
             "ブランド管理者は組織の設定ページでも組織IDを確認できます。",
    )
    cast.standard_user.language = "ja"
    cast.standard_user.save(update_fields=["language"])
    client = client_for(cast.standard_user)
    html = client.get(ask(client, "組織IDはどこで確認できますか")["Location"]).content.decode()
    turn = AssistantTurn.objects.get()
    assert turn.is_answered and turn.citations[0]["slug"] == article.slug and turn.citations[0]["language"] == "ja"
    assert "アカウント情報" in html and 'href="/help/find-organization-id/?language=ja"' in html
    ask(client, "明日の東京の天気予報")
    assert not AssistantTurn.objects.order_by("pk").last().is_answered
