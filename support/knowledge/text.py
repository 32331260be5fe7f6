"""Article text: safe Markdown rendering, plain text for passages, and the text each language's
search configuration indexes.

PostgreSQL ships snowball configurations for the European languages we serve, and none for
Japanese; a stock server has no pg_trgm either. Japanese articles are
therefore indexed as overlapping character bigrams in the `simple` configuration: 組織ID → "組織
id"; the same transformation is applied to the query, and ranking favours articles that
share more of the query's bigrams."""

import html
import re

import markdown
import nh3

ENGLISH = "en"
# The text-search configuration per site language (settings.LANGUAGES).
SEARCH_CONFIGS = {
    "en": "english",
    "de": "german",
    "fr": "french",
    "it": "italian",
    "pt-br": "portuguese",
    "es": "spanish",
    "nl": "dutch",
    "ja": "simple",
}
BIGRAM_LANGUAGES = frozenset({"ja"})

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "em", "h2", "h3", "h4", "hr", "i", "kbd", "li",
    "ol", "p", "pre", "strong", "table", "tbody", "td", "th", "thead", "tr", "ul",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "td": {"align"}, "th": {"align"}}

# Runs of Han, Hiragana, Katakana (incl. half-width) and the CJK punctuation-free marks.
_CJK_RUN = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f\u30fc]+")
_HIRAGANA_ONLY = re.compile(r"^[\u3040-\u309f\u30fc]+$")
_MD_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_MD_MARKS = re.compile(r"(^|\s)#{1,6}\s+|[*_`>|~]+|^\s*[-+]\s+|^\s*\d+\.\s+", re.MULTILINE)


def config_for(language: str) -> str:
    return SEARCH_CONFIGS.get(language, "simple")


def render_markdown(source: str) -> str:
    """Markdown → HTML with only harmless tags and attributes left (no scripts, styles, event
    handlers or javascript: links); links get rel=noopener noreferrer."""
    rendered = markdown.markdown(source or "", extensions=["tables", "sane_lists"], output_format="html")
    return nh3.clean(
        rendered,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )


def plain_text(source: str) -> str:
    """The Markdown's words without its markup: link texts kept, URLs and marks dropped."""
    text = _MD_LINK.sub(r"\1", source or "")
    text = _MD_MARKS.sub(" ", text)
    return html.unescape(re.sub(r"[ \t]+", " ", text)).strip()


def bigrams(text: str) -> str:
    """CJK runs as overlapping character bigrams (a single character stays itself); other text
    lower-cased and kept as it is, so "SSO の設定" → "sso の設 設定"."""

    def split(match):
        run = match.group(0)
        if len(run) == 1:
            return f" {run} "
        return " " + " ".join(run[i:i + 2] for i in range(len(run) - 1)) + " "

    return re.sub(r"\s+", " ", _CJK_RUN.sub(split, (text or "").lower())).strip()


def index_text(language: str, text: str) -> str:
    """What the search vector of an article in `language` is built from."""
    return bigrams(text) if language in BIGRAM_LANGUAGES else text


def query_text(language: str, query: str) -> str:
    """A visitor's query prepared like the articles of `language` were. A Japanese question has
    no spaces; its bigrams are searched as separate terms and ranked by how many match. Bigrams
    of hiragana only (particles and endings: どこ, ます, すか) carry no topic and are left out of
    the query, unless nothing else is left."""
    if language not in BIGRAM_LANGUAGES:
        return query
    terms = bigrams(query).split()
    topical = [term for term in terms if not _HIRAGANA_ONLY.match(term)]
    return " ".join(topical or terms)


def passages(source: str) -> list[tuple[str, str]]:
    """The article as (section heading, paragraph) pairs of plain text, for extractive answers."""
    heading = ""
    found = []
    for block in re.split(r"\n\s*\n", source or ""):
        block = block.strip()
        if not block:
            continue
        first, _, rest = block.partition("\n")
        if first.startswith("#"):
            heading = plain_text(first)
            block = rest.strip()
            if not block:
                continue
        text = plain_text(block)
        if text:
            found.append((heading, text))
    return found
