"""The help center (AST-1): public article pages in the reader's language with English as
fallback, search, and "Was this helpful?" for signed-in readers."""

from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import get_language_info

from hub.responses import render_htmx

from ..forms import ArticleFeedbackForm, HelpSearchForm
from ..knowledge import selectors
from ..knowledge.search import search_articles
from ..services.knowledge import record_article_feedback

PAGE_SIZE = 50


def _language_name(code):
    try:
        return get_language_info(code)["name_local"]
    except KeyError:
        return code


@login_not_required
def article_list(request):
    """All articles (one per topic, in the reader's language where translated), or search results."""
    language = selectors.reading_language(request.GET.get("language", ""))
    form = HelpSearchForm(request.GET or None)
    query = form.cleaned_data["q"].strip() if form.is_valid() else ""
    context = {"form": form, "query": query, "language": language}
    if query:
        hits = search_articles(query, language=language, limit=20, headlines=5)
        if not hits:
            hits = search_articles(query, language=language, limit=20, headlines=5, any_term=True)
        context["hits"] = hits
    else:
        context["page"] = Paginator(selectors.article_index(language), PAGE_SIZE).get_page(request.GET.get("page"))
    return render_htmx(request, "support/help_list.html", context, partial="results")


def _feedback_context(request, article, form=None, feedback=None, thanks=False):
    return {
        "article": article,
        "feedback_form": form or ArticleFeedbackForm(initial={"language": article.language}),
        "feedback": feedback if feedback is not None else selectors.feedback_of(request.user, article),
        "thanks": thanks,
    }


@login_not_required
def article_detail(request, slug):
    """One article; `?language=` shows a translation (the links under "Also in")."""
    language = selectors.reading_language(request.GET.get("language", ""))
    article = selectors.article_for_reader(slug, language)
    context = _feedback_context(request, article)
    context.update({
        "is_fallback": article.language != language,
        "translations": [
            {"code": code, "name": _language_name(code),
             "url": f"{reverse('help:article_detail', args=[slug])}?{urlencode({'language': code})}"}
            for code in selectors.translations_of(article)
        ],
    })
    return render(request, "support/help_detail.html", context)


def article_feedback(request, slug):
    """"Was this helpful?" — signed-in readers only (the middleware sends others to sign in)."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = ArticleFeedbackForm(request.POST)
    language = form.data.get("language", "")
    article = selectors.article_for_reader(slug, selectors.reading_language(language))
    template = "support/help_detail.html"
    if not form.is_valid():
        context = _feedback_context(request, article, form=form)
        return render_htmx(request, template, context, partial="feedback", status=422)
    feedback = record_article_feedback(actor=request.user, article=article, is_helpful=form.cleaned_data["helpful"])
    if getattr(request, "htmx", False):
        return render_htmx(request, template, _feedback_context(request, article, feedback=feedback, thanks=True),
                           partial="feedback")
    url = f"{reverse('help:article_detail', args=[slug])}?{urlencode({'language': article.language})}"
    return redirect(f"{url}#feedback")
