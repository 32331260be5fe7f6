"""AST-1: the knowledge base is loaded from Markdown files with front matter, idempotently."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from support.knowledge.loader import load_articles
from support.models import KnowledgeArticle

pytestmark = pytest.mark.django_db


def write(root, language, slug, title="How to find your organization ID", areas="hub", body="## Where\n\nOn the account page.\n"):
    folder = root / language
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{slug}.md").write_text(f"---\ntitle: {title}\nareas: {areas}\n---\n{body}", encoding="utf-8")


def test_loading_twice_creates_each_article_once_and_links_translations_by_slug(tmp_path):
    write(tmp_path, "en", "find-organization-id")
    write(tmp_path, "de", "find-organization-id", title="Organisations-ID finden", areas="hub, sso")
    first = load_articles(tmp_path)
    assert sorted(first.created) == ["de/find-organization-id", "en/find-organization-id"]
    second = load_articles(tmp_path)
    assert second.created == [] and second.updated == [] and len(second.unchanged) == 2
    assert KnowledgeArticle.objects.count() == 2
    german = KnowledgeArticle.objects.get(language="de")
    assert german.areas == ["hub", "sso"] and german.title == "Organisations-ID finden"
    assert "<h2>Where</h2>" in german.body_html
    assert set(KnowledgeArticle.objects.filter(slug=german.slug).values_list("language", flat=True)) == {"en", "de"}


def test_a_changed_file_updates_its_article(tmp_path):
    write(tmp_path, "en", "callbacks", title="Request a callback")
    load_articles(tmp_path)
    write(tmp_path, "en", "callbacks", title="Request a phone callback", body="New body about callbacks.\n")
    report = load_articles(tmp_path)
    assert report.updated == ["en/callbacks"]
    article = KnowledgeArticle.objects.get()
    assert article.title == "Request a phone callback" and "New body" in article.body


def test_staff_edits_win_over_the_files_unless_forced(tmp_path):
    write(tmp_path, "en", "callbacks", title="Request a callback")
    load_articles(tmp_path)
    KnowledgeArticle.objects.update(title="Edited by staff", is_edited_by_staff=True)
    write(tmp_path, "en", "callbacks", title="Changed in the file")
    report = load_articles(tmp_path)
    assert report.skipped_staff_edits == ["en/callbacks"]
    assert KnowledgeArticle.objects.get().title == "Edited by staff"
    load_articles(tmp_path, force=True)
    article = KnowledgeArticle.objects.get()
    assert article.title == "Changed in the file" and not article.is_edited_by_staff


@pytest.mark.parametrize(("folder", "slug", "content", "message"), [
    ("en", "no-front-matter", "Just text", "missing front matter"),
    ("en", "no-title", "---\nareas: hub\n---\nBody", "title is missing"),
    ("en", "bad-area", "---\ntitle: T\nareas: surveys, gardening\n---\nBody", "unknown areas: gardening"),
    ("en", "Bad_Slug", "---\ntitle: T\nareas: hub\n---\nBody", "is not a slug"),
    ("en", "empty", "---\ntitle: T\nareas: hub\n---\n", "the body is empty"),
    ("xx", "article", "---\ntitle: T\nareas: hub\n---\nBody", "not a language"),
])
def test_bad_files_are_reported_and_skipped(tmp_path, folder, slug, content, message):
    (tmp_path / folder).mkdir()
    (tmp_path / folder / f"{slug}.md").write_text(content, encoding="utf-8")
    write(tmp_path, "en", "good")
    report = load_articles(tmp_path)
    assert report.created == ["en/good"]
    assert len(report.errors) == 1 and message in report.errors[0][1]


def test_the_command_reports_and_fails_when_strict(tmp_path):
    write(tmp_path, "en", "good")
    (tmp_path / "en" / "bad.md").write_text("no front matter", encoding="utf-8")
    out, err = StringIO(), StringIO()
    call_command("load_knowledge_base", path=tmp_path, stdout=out, stderr=err)
    assert "1 created" in out.getvalue() and "1 with errors" in out.getvalue() and "bad.md" in err.getvalue()
    with pytest.raises(CommandError):
        call_command("load_knowledge_base", path=tmp_path, strict=True, stdout=StringIO(), stderr=StringIO())


def test_a_missing_folder_loads_nothing(tmp_path):
    report = load_articles(tmp_path / "nowhere")
    assert report.created == [] and report.errors == []


def test_the_demo_seeding_loads_the_article_files(tmp_path, settings):
    from hub import demo as hub_demo
    from support import demo

    write(tmp_path, "en", "find-organization-id")
    settings.HUB_KB_ARTICLES_DIR = str(tmp_path)
    out = StringIO()
    hub_demo.seed(out)
    demo.seed(out)
    demo.seed(out)
    assert KnowledgeArticle.objects.filter(slug="find-organization-id").count() == 1
    assert "knowledge base: 1 articles created" in out.getvalue()


def test_titles_keep_inner_quotes_and_lose_only_wrapping_ones(tmp_path):
    write(tmp_path, "en", "one", title='"Unsubscribe" links in emails')
    write(tmp_path, "en", "two", title='"How to find your organization ID"')
    load_articles(tmp_path)
    titles = dict(KnowledgeArticle.objects.values_list("slug", "title"))
    assert titles == {"one": '"Unsubscribe" links in emails', "two": "How to find your organization ID"}
