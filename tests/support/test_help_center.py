"""AST-1: public help pages in the reader's language with English fallback, search, and "Was
this helpful?"."""

import pytest
from django.urls import reverse

from support.models import ArticleFeedback
from tests.factories import KnowledgeArticleFactory

pytestmark = pytest.mark.django_db
INDEX = reverse("help:article_list")


def detail(slug, **query):
    url = reverse("help:article_detail", args=[slug])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


@pytest.fixture
def organization_id_article():
    english = KnowledgeArticleFactory(
        slug="find-organization-id", language="en", title="How to find your organization ID",
        body="## Where\n\nOpen **Account information**. <script>alert(1)</script>", areas=["hub"],
    )
    german = KnowledgeArticleFactory(
        slug="find-organization-id", language="de", title="So finden Sie Ihre Organisations-ID",
        body="## Wo\n\nÖffnen Sie **Kontoinformationen**.", areas=["hub"],
    )
    return english, german


def test_articles_are_public_and_rendered_safely(client, organization_id_article):
    response = client.get(detail("find-organization-id"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>How to find your organization ID</h1>" in html
    assert "<strong>Account information</strong>" in html and "<script>alert" not in html
    assert "Sign in to tell us." in html
    # The German translation is linked by its shared slug.
    assert f'href="{detail("find-organization-id", language="de")}"' in html and ">Deutsch<" in html


def test_the_readers_language_is_shown_with_english_as_fallback(client_for, cast, organization_id_article):
    cast.standard_user.language = "de"
    cast.standard_user.save()
    html = client_for(cast.standard_user).get(detail("find-organization-id")).content.decode()
    assert "So finden Sie Ihre Organisations-ID" in html
    cast.standard_user.language = "fr"
    cast.standard_user.save()
    html = client_for(cast.standard_user).get(detail("find-organization-id")).content.decode()
    assert "How to find your organization ID" in html and 'lang="en"' in html


def test_unknown_and_unpublished_articles_answer_404(client, organization_id_article):
    assert client.get(detail("no-such-article")).status_code == 404
    organization_id_article[0].is_published = False
    organization_id_article[0].save()
    assert client.get(detail("find-organization-id")).status_code == 404
    assert client.get(detail("find-organization-id", language="de")).status_code == 200


def test_search_finds_articles_with_highlighted_excerpts(client, organization_id_article):
    html = client.get(INDEX, {"q": "account information"}).content.decode()
    assert "How to find your organization ID" in html and "<mark>Account</mark>" in html


def test_search_is_an_htmx_partial(client, organization_id_article):
    response = client.get(INDEX, {"q": "organization"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert 'id="help-results"' in html and "<html" not in html and "How to find" in html


def test_search_without_matches_offers_a_person(client, organization_id_article):
    html = client.get(INDEX, {"q": "zeppelin"}).content.decode()
    assert "No article matches your search" in html and reverse("support:contact") in html


def test_the_index_lists_each_topic_once_in_the_readers_language(client_for, cast, organization_id_article):
    KnowledgeArticleFactory(slug="renewals", language="en", title="Prepare your renewal", areas=["hub"])
    cast.standard_user.language = "de"
    cast.standard_user.save()
    html = client_for(cast.standard_user).get(INDEX).content.decode()
    assert "So finden Sie Ihre Organisations-ID" in html and "How to find your organization ID" not in html
    assert "Prepare your renewal" in html


def test_help_pages_keep_a_fixed_query_budget(client_for, cast, count_queries):
    user_client = client_for(cast.standard_user)
    KnowledgeArticleFactory(slug="a-0", title="Export 0", body="Export data.")
    KnowledgeArticleFactory(slug="a-0", language="de", title="Export 0", body="Export.")
    one = (count_queries(lambda: user_client.get(INDEX)), count_queries(lambda: user_client.get(INDEX, {"q": "export"})),
           count_queries(lambda: user_client.get(detail("a-0"))))
    for number in range(1, 20):
        KnowledgeArticleFactory(slug=f"a-{number}", title=f"Export {number}", body="Export data.")
        KnowledgeArticleFactory(slug="a-0", language=["fr", "it", "es", "nl", "ja", "pt-br"][number % 6])
    twenty = (count_queries(lambda: user_client.get(INDEX)), count_queries(lambda: user_client.get(INDEX, {"q": "export"})),
              count_queries(lambda: user_client.get(detail("a-0"))))
    assert one == twenty and max(twenty) <= 12


def test_signed_in_readers_say_whether_it_helped_once(client_for, cast, organization_id_article):
    english, _ = organization_id_article
    user_client = client_for(cast.standard_user)
    url = reverse("help:article_feedback", args=[english.slug])
    response = user_client.post(url, {"helpful": "no", "language": "en"})
    assert response.status_code == 302
    response = user_client.post(url, {"helpful": "yes", "language": "en"}, headers={"HX-Request": "true"})
    assert "Thank you for your feedback." in response.content.decode()
    feedback = ArticleFeedback.objects.get()
    assert feedback.article == english and feedback.is_helpful is True and feedback.user == cast.standard_user


def test_feedback_with_a_bad_answer_is_refused_at_the_field(client_for, cast, organization_id_article):
    url = reverse("help:article_feedback", args=["find-organization-id"])
    response = client_for(cast.standard_user).post(url, {"helpful": "maybe"}, headers={"HX-Request": "true"})
    assert response.status_code == 422 and "Please choose Yes or No." in response.content.decode()
    assert not ArticleFeedback.objects.exists()


def test_anonymous_feedback_goes_to_sign_in_and_get_is_not_allowed(client, client_for, cast, organization_id_article):
    url = reverse("help:article_feedback", args=["find-organization-id"])
    assert client.post(url, {"helpful": "yes"}).status_code == 302
    assert not ArticleFeedback.objects.exists()
    assert client_for(cast.standard_user).get(url).status_code == 405
