"""AST-2: the optional generative backend, an OpenAI-compatible endpoint, given only the retrieved
passages; its answer must cite them. Tested against a real HTTP server on localhost."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.test import override_settings
from django.urls import reverse

from support.knowledge.answers import compose_answer
from support.models import AssistantTurn
from tests.factories import KnowledgeArticleFactory

pytestmark = pytest.mark.django_db


class CompletionServer:
    """A tiny chat-completions server: records each request and answers with `reply`."""

    def __init__(self):
        self.requests, self.reply, self.status = [], "", 200
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                server.requests.append({"path": self.path, "auth": self.headers.get("Authorization"), "body": body})
                payload = json.dumps({"choices": [{"message": {"role": "assistant", "content": server.reply}}]})
                self.send_response(server.status)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(payload.encode())

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/v1"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def llm():
    with CompletionServer() as server, override_settings(
        HUB_ASSISTANT_LLM_URL=server.url, HUB_ASSISTANT_LLM_API_KEY="sk-test", HUB_ASSISTANT_LLM_MODEL="tiny",
        HUB_ASSISTANT_LLM_TIMEOUT=5,
    ):
        yield server


@pytest.fixture
def article(db):
    return KnowledgeArticleFactory(
        slug="export-responses", title="Export survey responses", areas=["surveys"],
        body="## Export\n\nOpen Data & Analysis and choose Export data. Pick CSV or Excel.\n\n"
             "## Unrelated\n\nThe colour of the sidebar can be changed in settings.",
    )


def test_the_backend_gets_only_the_retrieved_passages_and_its_cited_answer_is_shown(client_for, cast, llm, article):
    llm.reply = "Open Data & Analysis, choose Export data and pick Excel [1]."
    client = client_for(cast.standard_user)
    response = client.post(reverse("support:assistant", args=["surveys"]), {"question": "How do I export to Excel?"})
    html = client.get(response["Location"]).content.decode()
    assert "choose Export data and pick Excel [1]." in html
    assert 'href="/help/export-responses/?language=en"' in html
    turn = AssistantTurn.objects.get()
    assert turn.backend == "openai-compatible" and turn.answer.endswith("[1].")
    sent = llm.requests[0]
    assert sent["path"] == "/v1/chat/completions" and sent["auth"] == "Bearer sk-test"
    assert sent["body"]["model"] == "tiny"
    user_message = sent["body"]["messages"][1]["content"]
    assert "[1] Open Data & Analysis and choose Export data. Pick CSV or Excel." in user_message
    assert "sidebar" not in user_message  # only the passages that matched
    assert "Question: How do I export to Excel?" in user_message


def test_an_answer_citing_nothing_it_was_given_falls_back_to_the_passages(llm, article):
    llm.reply = "You can export anything from the settings page [7]."
    answer = compose_answer("export to Excel", language="en", area="surveys")
    assert answer.is_answered and answer.backend == "extractive" and answer.text == ""
    assert answer.citations[0]["text"].startswith("Open Data & Analysis")


def test_a_failing_endpoint_falls_back_to_the_passages(llm, article):
    llm.status = 500
    answer = compose_answer("export to Excel", language="en", area="surveys")
    assert answer.is_answered and answer.backend == "extractive" and len(llm.requests) == 1


def test_an_unreachable_endpoint_falls_back_to_the_passages(article):
    with override_settings(HUB_ASSISTANT_LLM_URL="http://127.0.0.1:9/v1", HUB_ASSISTANT_LLM_TIMEOUT=2):
        answer = compose_answer("export to Excel", language="en", area="surveys")
    assert answer.is_answered and answer.backend == "extractive"


def test_nothing_is_sent_when_retrieval_finds_nothing(llm, article):
    answer = compose_answer("zeppelin maintenance", language="en", area="surveys")
    assert not answer.is_answered and llm.requests == []
