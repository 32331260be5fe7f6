"""The optional generative backend (AST-2): an OpenAI-compatible chat-completions endpoint that
is given only the retrieved passages and must cite them as [1], [2]… An answer that cites
nothing it was given is not used; the extractive answer is shown instead.

Chosen by setting: HUB_ASSISTANT_LLM_URL (the API base, e.g. https://api.example.com/v1 or a
local server), HUB_ASSISTANT_LLM_API_KEY, HUB_ASSISTANT_LLM_MODEL, HUB_ASSISTANT_LLM_TIMEOUT."""

import json
import logging
import re
import urllib.error
import urllib.request
from abc import ABC, abstractmethod
from dataclasses import dataclass

from django.conf import settings

logger = logging.getLogger(__name__)
CITATION_RE = re.compile(r"\[(\d{1,2})\]")

SYSTEM_PROMPT = (
    "You are the support assistant of a customer success hub. Answer the customer's question using "
    "only the numbered passages you are given. Cite every statement with the passage number in square "
    "brackets, like [1]. If the passages do not answer the question, reply exactly: I don't know. "
    "Answer in the language whose code is {language}, in at most 120 words, without inventing links."
)


class BackendError(Exception):
    pass


@dataclass
class Generated:
    text: str
    cited: list[int]  # 1-based passage numbers, in the order first cited


class GenerativeBackend(ABC):
    name = "generative"

    @abstractmethod
    def answer(self, question: str, passages: list[str], language: str) -> Generated:
        """An answer built from `passages` only, citing them by number; BackendError on failure."""


class OpenAICompatibleBackend(GenerativeBackend):
    name = "openai-compatible"

    def __init__(self, *, url: str, api_key: str = "", model: str = "", timeout: float = 15.0):
        self.url = url.rstrip("/") + "/chat/completions"
        self.api_key, self.model, self.timeout = api_key, model, timeout

    def answer(self, question, passages, language):
        numbered = "\n\n".join(f"[{number}] {text}" for number, text in enumerate(passages, start=1))
        payload = {
            "model": self.model,
            "temperature": 0,
            "messages": [
                {"role": "system", "content": SYSTEM_PROMPT.format(language=language)},
                {"role": "user", "content": f"Passages:\n\n{numbered}\n\nQuestion: {question}"},
            ],
        }
        request = urllib.request.Request(
            self.url, data=json.dumps(payload).encode(), method="POST",
            headers={"Content-Type": "application/json", "Accept": "application/json",
                     **({"Authorization": f"Bearer {self.api_key}"} if self.api_key else {})},
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310 - URL from settings
                body = json.loads(response.read().decode())
            text = body["choices"][0]["message"]["content"].strip()
        except (urllib.error.URLError, TimeoutError, ValueError, KeyError, IndexError, TypeError) as error:
            raise BackendError(str(error)) from error
        cited = []
        for match in CITATION_RE.finditer(text):
            number = int(match.group(1))
            if 1 <= number <= len(passages) and number not in cited:
                cited.append(number)
        return Generated(text=text, cited=cited)


def configured_backend() -> GenerativeBackend | None:
    if not settings.HUB_ASSISTANT_LLM_URL:
        return None
    return OpenAICompatibleBackend(
        url=settings.HUB_ASSISTANT_LLM_URL, api_key=settings.HUB_ASSISTANT_LLM_API_KEY,
        model=settings.HUB_ASSISTANT_LLM_MODEL, timeout=settings.HUB_ASSISTANT_LLM_TIMEOUT,
    )
