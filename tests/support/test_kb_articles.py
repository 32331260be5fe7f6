"""The starter knowledge base (AST-1, AST-2): the Markdown files under support/kb_articles/ are
well-formed and cover every product area and the hub, in English and the seven other languages.

Pure file checks: no database. Format of a file:

    ---
    title: How to find your organization ID
    areas: hub
    ---
    Markdown body
"""

import re
from collections import Counter, defaultdict
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2] / "support" / "kb_articles"
LANGUAGES = ("en", "de", "fr", "it", "pt-br", "es", "nl", "ja")
OTHER_LANGUAGES = LANGUAGES[1:]
PRODUCT_AREAS = (
    "surveys",
    "employee-experience",
    "cx-dashboards",
    "bx-dashboards",
    "360",
    "website-app-insights",
    "stats-crosstabs",
    "integrations-api",
    "sso",
    "accessibility",
    "xm-discover",
)
AREAS = (*PRODUCT_AREAS, "hub")
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
FRONT_MATTER = re.compile(r"\A---\n(?P<head>.*?)\n---\n(?P<body>.*)\Z", re.DOTALL)
RAW_HTML = re.compile(r"<\s*/?\s*[a-zA-Z][^>]*>")
IMAGE = re.compile(r"!\[[^\]]*\]\(")
# Python-Markdown (the renderer) nests a list only under 4 spaces and has no fenced code blocks.
SHALLOW_NESTED_LIST = re.compile(r"^ {1,3}(?:[-*+]|\d+\.) ", re.MULTILINE)
FENCE = re.compile(r"^```", re.MULTILINE)


def parse(path):
    text = path.read_text(encoding="utf-8")
    match = FRONT_MATTER.match(text)
    assert match, f"{path}: no front matter between --- lines"
    fields = {}
    for line in match["head"].splitlines():
        key, sep, value = line.partition(":")
        assert sep, f"{path}: front matter line without a colon: {line!r}"
        fields[key.strip()] = value.strip()
    areas = [area.strip() for area in fields.get("areas", "").split(",") if area.strip()]
    return {"title": fields.get("title", ""), "areas": areas, "body": match["body"].strip(), "path": path}


def load():
    articles = defaultdict(dict)
    for path in sorted(ROOT.glob("*/*.md")):
        articles[path.parent.name][path.stem] = parse(path)
    return articles


ARTICLES = load()
ALL = [article for by_slug in ARTICLES.values() for article in by_slug.values()]


def test_only_known_language_folders():
    folders = {path.name for path in ROOT.iterdir() if path.is_dir()}
    assert folders <= set(LANGUAGES), folders - set(LANGUAGES)
    assert not [path for path in ROOT.glob("*/*") if path.suffix != ".md"]


@pytest.mark.parametrize("article", ALL, ids=lambda a: f"{a['path'].parent.name}/{a['path'].name}")
def test_article_is_well_formed(article):
    assert SLUG.match(article["path"].stem), "the file name is not a slug"
    assert article["title"], "no title"
    assert article["title"][0] not in "\"'" and article["title"][-1] not in "\"'", (
        "the loader strips quotes around a title"
    )
    assert len(article["title"]) <= 200 and len(article["path"].stem) <= 120, "longer than the model's fields"
    assert article["areas"], "no areas"
    assert set(article["areas"]) <= set(AREAS), f"unknown areas: {set(article['areas']) - set(AREAS)}"
    assert len(article["areas"]) == len(set(article["areas"])), "an area is listed twice"
    assert article["body"], "empty body"
    assert "## " in article["body"], "no section heading"
    assert not RAW_HTML.search(article["body"]), "raw HTML in the body"
    assert not IMAGE.search(article["body"]), "an image in the body"
    assert not SHALLOW_NESTED_LIST.search(article["body"]), "a nested list indented by fewer than 4 spaces"
    assert not FENCE.search(article["body"]), "a fenced code block (indent code by 4 spaces instead)"


@pytest.mark.parametrize("article", list(ARTICLES["en"].values()), ids=lambda a: a["path"].stem)
def test_english_article_length(article):
    words = len(article["body"].split())
    assert 150 <= words <= 350, f"{words} words"


def test_english_coverage():
    english = ARTICLES["en"]
    assert len(english) >= 40
    per_area = Counter(area for article in english.values() for area in article["areas"])
    assert {area: per_area[area] for area in AREAS if per_area[area] < 3} == {}
    assert per_area["hub"] >= 10


def test_translations():
    english = ARTICLES["en"]
    for language in OTHER_LANGUAGES:
        orphans = set(ARTICLES[language]) - set(english)
        assert not orphans, f"{language}: translations without an English original: {orphans}"
        for slug, article in ARTICLES[language].items():
            assert article["areas"] == english[slug]["areas"], f"{language}/{slug}: areas differ from English"
            assert article["title"] != english[slug]["title"], f"{language}/{slug}: title not translated"
    in_every_language = set(english).intersection(*(set(ARTICLES[language]) for language in OTHER_LANGUAGES))
    assert len(in_every_language) >= 10, sorted(in_every_language)


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_duplicate_titles_within_a_language(language):
    titles = Counter(article["title"].casefold() for article in ARTICLES[language].values())
    assert [title for title, count in titles.items() if count > 1] == []
