"""AST-2: retrieval per language with stemming, Japanese bigrams, English fallback, areas,
ranking and headlines for the top results only."""

import pytest
from django.db import connection

from support.knowledge.search import rank_passages, search_articles
from support.knowledge.text import bigrams, render_markdown
from support.models import KnowledgeArticle
from tests.factories import KnowledgeArticleFactory

pytestmark = pytest.mark.django_db

# (language, title, body, query using another form of a word in the article)
ARTICLES = [
    ("de", "Rechnungskontakte bestätigen",
     "## Warum\n\nVor jeder Verlängerung bestätigen Sie die Kontakte, die unsere Rechnungen erhalten.",
     "Verlängerungen Kontakten"),
    ("fr", "Préparer votre renouvellement",
     "## Étapes\n\nVous préparez le renouvellement de votre contrat en confirmant les contacts.",
     "préparation renouvellements"),
    ("it", "Gestire le preferenze email",
     "## Preferenze\n\nPuoi gestire le preferenze per ogni indirizzo email del tuo account.",
     "gestite preferenza"),
    ("pt-br", "Solicitar uma ligação",
     "## Ligações\n\nVocê pode solicitar uma ligação do suporte em inglês a qualquer hora.",
     "solicitações ligação"),
    ("es", "Encontrar el ID de su organización",
     "## Dónde\n\nEl ID de la organización aparece en la información de la cuenta.",
     "encontrando organizaciones"),
    ("nl", "Uw facturen bekijken",
     "## Facturen\n\nU bekijkt alle facturen van uw contract in het factuuroverzicht.",
     "factuur bekijken"),
]


def make(language, slug, title, body, areas=("hub",)):
    return KnowledgeArticleFactory(language=language, slug=slug, title=title, body=body, areas=list(areas))


@pytest.mark.parametrize(("language", "title", "body", "query"), ARTICLES, ids=[a[0] for a in ARTICLES])
def test_a_query_finds_the_article_in_its_language_by_a_stemmed_word(language, title, body, query):
    make("en", "unrelated", "Survey logic", "Display logic shows questions conditionally.")
    article = make(language, "the-article", title, body)
    hits = search_articles(query, language=language)
    assert [hit.article.pk for hit in hits] == [article.pk]


def test_each_article_is_indexed_in_its_own_languages_configuration():
    german = make("de", "rechnung", "Rechnungskontakte bestätigen", "Bestätigen Sie die Kontakte.")
    english = make("en", "rechnung", "Confirming contacts", "Confirm the contacts.")
    with connection.cursor() as cursor:
        cursor.execute("SELECT language, search_vector::text FROM support_knowledgearticle WHERE id IN (%s, %s)",
                       [german.pk, english.pk])
        vectors = dict(cursor.fetchall())
    # German stems "Kontakte" to "kontakt" and drops "die"/"Sie"; English stems "contacts" to "contact".
    assert "'kontakt'" in vectors["de"] and "'sie'" not in vectors["de"]
    assert "'contact'" in vectors["en"] and "'confirm':1A" in vectors["en"]
    assert search_articles("Kontakten", language="de")[0].article == german


def test_japanese_articles_are_found_by_character_bigrams():
    article = make("ja", "organization-id", "組織IDを確認する方法",
                   "## 場所\n\n組織IDはアカウント情報のページに表示されます。")
    make("ja", "email-preferences", "メール配信設定の管理", "配信設定はプロフィールで変更できます。")
    hits = search_articles("組織IDはどこですか", language="ja", any_term=True)
    assert hits[0].article.pk == article.pk
    assert search_articles("アカウント情報", language="ja")[0].article.pk == article.pk
    # A word that appears in neither article finds nothing.
    assert not search_articles("請求書", language="ja")


def test_japanese_is_indexed_as_bigrams_in_the_simple_configuration():
    assert bigrams("組織IDの確認") == "組織 id の確 確認"
    article = make("ja", "x", "組織ID", "確認")
    with connection.cursor() as cursor:
        cursor.execute("SELECT search_vector::text FROM support_knowledgearticle WHERE id = %s", [article.pk])
        vector = cursor.fetchone()[0]
    assert "'組織':1A" in vector and "'確認':3B" in vector


def test_a_language_without_a_matching_article_falls_back_to_english():
    english = make("en", "find-organization-id", "How to find your organization ID",
                   "Your organization ID is on the account information page.")
    assert [hit.article for hit in search_articles("organization id", language="nl")] == [english]


def test_the_readers_language_comes_first_and_replaces_its_english_original():
    english = make("en", "billing-contacts", "Confirm your billing contacts", "Confirm the billing contacts.")
    german = make("de", "billing-contacts", "Rechnungskontakte bestätigen", "Bestätigen Sie die Rechnungskontakte.")
    other = make("en", "renewal-billing", "Billing at renewal", "Billing contacts receive the renewal invoice.")
    hits = search_articles("Rechnungskontakte", language="de")
    assert [hit.article for hit in hits] == [german]
    hits = search_articles("billing contacts", language="de")
    # German has no match for English words: English results, without the German one's original twice.
    assert {hit.article for hit in hits} == {english, other}
    hits = search_articles("billing Rechnungskontakte", language="de", any_term=True)
    assert hits[0].article == german and english not in [hit.article for hit in hits]


def test_title_matches_rank_above_body_matches():
    in_body = make("en", "body", "Dashboards overview", "You can export a dashboard as a PDF file.")
    in_title = make("en", "title", "Export a dashboard", "Widgets and filters are kept in the file.")
    assert [hit.article for hit in search_articles("export", language="en")] == [in_title, in_body]


def test_websearch_syntax_quotes_and_exclusions():
    make("en", "a", "Export responses", "Download responses as CSV.")
    make("en", "b", "Export dashboards", "Download a dashboard as PDF.")
    assert [h.article.slug for h in search_articles('export -dashboards', language="en")] == ["a"]
    assert [h.article.slug for h in search_articles('"download a dashboard"', language="en")] == ["b"]


def test_area_filter_keeps_hub_articles_everywhere():
    sso = make("en", "sso", "Single sign-on certificate", "Rotate the certificate.", areas=["sso"])
    hub = make("en", "hub", "Certificate of insurance", "Request a certificate from Account Services.")
    make("en", "surveys", "Certificate surveys", "A certificate for respondents.", areas=["surveys"])
    assert {h.article for h in search_articles("certificate", language="en", area="sso")} == {sso, hub}


def test_unpublished_articles_are_not_found():
    make("en", "draft", "Draft about exports", "Exports.")
    KnowledgeArticle.objects.filter(slug="draft").update(is_published=False)
    assert search_articles("exports", language="en") == []


def test_headlines_only_for_the_top_results_and_escaped(count_queries):
    for number in range(5):
        make("en", f"export-{number}", f"Export {number}", "Export <b>responses</b> as a CSV file.")
    queries = count_queries(lambda: search_articles("export", language="en", headlines=2))
    assert queries == 2
    hits = search_articles("export", language="en", headlines=2)
    assert "<mark>Export</mark>" in hits[0].headline and "&lt;b&gt;" not in hits[0].headline
    assert hits[2].headline == ""


def test_passages_are_ranked_per_paragraph_in_one_query(count_queries):
    article = make("en", "sso-loop", "Users loop back to sign-in",
                   "## Clock\n\nCheck the identity provider's clock.\n\n## Certificate\n\n"
                   "An expired signing certificate sends users back to the sign-in page.")
    hits = search_articles("expired certificate", language="en", any_term=True)
    assert count_queries(lambda: rank_passages(hits, "expired certificate")) == 1
    assert hits[0].article == article
    assert hits[0].passages[0][0] == "Certificate" and "expired signing certificate" in hits[0].passages[0][1]


def test_markdown_is_rendered_without_scripts_or_javascript_links():
    html = render_markdown("## Hi\n\n<script>alert(1)</script> [x](javascript:alert(1)) **bold** `code`"
                           ' <img src=x onerror="alert(1)">')
    assert "<h2>Hi</h2>" in html and "<strong>bold</strong>" in html and "<code>code</code>" in html
    assert "<script" not in html and "javascript:" not in html and "onerror" not in html


def test_empty_and_stopword_queries_find_nothing():
    make("en", "a", "The article", "The body.")
    assert search_articles("   ", language="en") == []
    assert search_articles("the and of", language="en", any_term=True) == []


def test_an_exclusion_does_not_turn_an_any_term_question_into_match_everything():
    make("en", "a", "Export responses", "Download responses as CSV.")
    make("en", "b", "Billing contacts", "Confirm the billing contacts.")
    assert [h.article.slug for h in search_articles("export -dashboards", language="en", any_term=True)] == ["a"]
