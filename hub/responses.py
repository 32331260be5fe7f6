from django.shortcuts import render
from django.utils.cache import patch_vary_headers


def render_htmx(request, template_name, context, *, partial, status=200):
    """The full page, or for an htmx request only the named `{% partialdef %}` of the same
    template (django-template-partials). One URL serves both, so everything works without
    JavaScript. Invalid forms answer 422 either way; htmx is configured to swap 422 (base.html)."""
    htmx = getattr(request, "htmx", None)
    # A history restore (back button after hx-push-url, nothing cached) needs the whole page.
    is_partial = bool(htmx) and not htmx.history_restore_request
    name = f"{template_name}#{partial}" if is_partial else template_name
    response = render(request, name, context, status=status)
    patch_vary_headers(response, ["HX-Request"])
    return response
