"""Benchmark of the support assistant (AST-2), run by `make bench` (not by `make test`).

Seeds BENCH_KB_ARTICLES (default 10 000) articles across the eight languages, then times the
assistant's answer — the whole POST through the test client: retrieval in the reader's language
and English, passage ranking, storing the turn — for questions in English, German and Japanese,
beside a bare Django view (same middleware, no work) in the same run. Reports median and p95 and
their ratio, and checks the retrieval query uses the GIN index.
"""

import os
import random
import statistics
import time

import pytest
from django.db import connection
from django.http import HttpResponse
from django.test import override_settings
from django.urls import include, path, reverse

from support.models import KnowledgeArticle
from tests.factories import UserFactory

ARTICLES = int(os.environ.get("BENCH_KB_ARTICLES", "10000"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "60"))
pytestmark = pytest.mark.urls(__name__)


def bare(request):
    return HttpResponse("ok")


urlpatterns = [path("bench/bare/", bare), path("", include("hub.urls"))]

WORDS = {
    "en": "export survey response dashboard filter report contact billing renewal invoice account user role "
          "password sign-in certificate integration token webhook schedule download email preference widget "
          "language translation panel directory distribution reminder quota license organization".split(),
    "de": "Export Umfrage Antwort Dashboard Filter Bericht Kontakt Rechnung Verlängerung Konto Benutzer Rolle "
          "Passwort Anmeldung Zertifikat Integration Webhook Zeitplan herunterladen E-Mail Einstellung Sprache "
          "Übersetzung Verzeichnis Verteilung Erinnerung Lizenz Organisation".split(),
    "fr": "exporter enquête réponse tableau filtre rapport contact facture renouvellement compte utilisateur rôle "
          "mot connexion certificat intégration planification télécharger courriel préférence langue traduction "
          "annuaire distribution rappel licence organisation".split(),
    "it": "esportare sondaggio risposta dashboard filtro rapporto contatto fattura rinnovo account utente ruolo "
          "password accesso certificato integrazione pianificazione scaricare email preferenza lingua traduzione "
          "elenco distribuzione promemoria licenza organizzazione".split(),
    "pt-br": "exportar pesquisa resposta painel filtro relatório contato fatura renovação conta usuário função "
             "senha login certificado integração agendamento baixar email preferência idioma tradução diretório "
             "distribuição lembrete licença organização".split(),
    "es": "exportar encuesta respuesta panel filtro informe contacto factura renovación cuenta usuario rol "
          "contraseña acceso certificado integración programación descargar correo preferencia idioma traducción "
          "directorio distribución recordatorio licencia organización".split(),
    "nl": "exporteren enquête antwoord dashboard filter rapport contact factuur verlenging account gebruiker rol "
          "wachtwoord aanmelden certificaat integratie planning downloaden e-mail voorkeur taal vertaling "
          "adresboek distributie herinnering licentie organisatie".split(),
    "ja": "エクスポート アンケート 回答 ダッシュボード フィルター レポート 連絡先 請求書 更新 アカウント ユーザー 役割 "
          "パスワード サインイン 証明書 連携 スケジュール ダウンロード メール 設定 言語 翻訳 ディレクトリ 配信 "
          "リマインダー ライセンス 組織".split(),
}
AREAS = ["surveys", "employee-experience", "cx-dashboards", "bx-dashboards", "360", "website-app-insights",
         "stats-crosstabs", "integrations-api", "sso", "accessibility", "xm-discover", "hub"]
QUESTIONS = {
    "en": ["How do I export survey responses?", "Where do I change my email preference?",
           "Why is my certificate rejected at sign-in?", "How can I download the invoice for my renewal?"],
    "de": ["Wie exportiere ich Antworten einer Umfrage?", "Wo ändere ich die Sprache im Dashboard?"],
    "ja": ["アンケートの回答をエクスポートする方法", "請求書をダウンロードしたい"],
}


def _sentence(rng, words, language):
    picked = rng.sample(words, 9)
    return ("".join(picked) + "。") if language == "ja" else (" ".join(picked).capitalize() + ".")


def _seed(count):
    rng = random.Random(8)
    languages = list(WORDS)
    batch = []
    for number in range(count):
        language = languages[number % len(languages)]
        words = WORDS[language]
        sections = []
        for _ in range(3):
            sections.append(f"## {rng.choice(words).capitalize()}\n\n" + " ".join(
                _sentence(rng, words, language) for _ in range(4)))
        article = KnowledgeArticle(
            slug=f"bench-{number // len(languages)}", language=language,
            title=_sentence(rng, words, language)[:120], body="\n\n".join(sections),
            areas=[rng.choice(AREAS), "hub"] if number % 5 == 0 else [rng.choice(AREAS)],
        )
        article.prepare()
        batch.append(article)
        if len(batch) == 1000:
            KnowledgeArticle.objects.bulk_create(batch)
            batch = []
    KnowledgeArticle.objects.bulk_create(batch)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE support_knowledgearticle")


def _timed(action, rounds):
    times = []
    for index in range(rounds):
        started = time.perf_counter()
        action(index)
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return statistics.median(times), times[max(0, int(len(times) * 0.95) - 1)]


@pytest.mark.django_db
@override_settings(HUB_SUPPORT_RATE_LIMITS={"assistant_question": ""}, HUB_ASSISTANT_LLM_URL="")
def test_assistant_answer_latency_beside_a_bare_view(client, cast):
    started = time.perf_counter()
    _seed(ARTICLES)
    seeded = time.perf_counter() - started
    users = {language: UserFactory(organization=cast.northwind, language=language) for language in QUESTIONS}
    ask_url = reverse("support:assistant", args=["surveys"])
    results = {}
    bare_client = client
    bare_client.force_login(users["en"])
    bare_client.get("/bench/bare/")
    results["bare view"] = _timed(lambda i: bare_client.get("/bench/bare/"), ROUNDS)
    answered = 0
    for language, questions in QUESTIONS.items():
        client.force_login(users[language])
        client.post(ask_url, {"question": questions[0]})  # warm-up

        def ask(index, questions=questions):
            nonlocal answered
            response = client.post(ask_url, {"question": questions[index % len(questions)]})
            assert response.status_code == 302
            answered += 1

        results[f"assistant ({language})"] = _timed(ask, ROUNDS)

    with connection.cursor() as cursor:
        cursor.execute(
            "EXPLAIN SELECT id FROM support_knowledgearticle WHERE is_published AND "
            "((language = 'de' AND search_vector @@ websearch_to_tsquery('german', 'Umfrage exportieren')) OR "
            "(language = 'en' AND search_vector @@ websearch_to_tsquery('english', 'Umfrage exportieren')))"
        )
        plan = "\n".join(row[0] for row in cursor.fetchall())

    bare_median = results["bare view"][0]
    print(f"\nAssistant benchmark: {ARTICLES} articles in 8 languages (seeded in {seeded:.1f} s), {ROUNDS} rounds each")
    for name, (median, p95) in results.items():
        print(f"  {name:<16} median {median:7.2f} ms   p95 {p95:7.2f} ms   ratio to bare view {median / bare_median:6.1f}x")
    from support.models import AssistantTurn

    with_answer = AssistantTurn.objects.filter(is_answered=True).count()
    print(f"  questions answered from passages: {with_answer} of {AssistantTurn.objects.count()}")
    print("  retrieval plan uses:", "support_kb_search (GIN)" if "support_kb_search" in plan else plan)
    assert "support_kb_search" in plan
    assert answered == ROUNDS * len(QUESTIONS)
