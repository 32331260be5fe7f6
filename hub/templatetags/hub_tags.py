from django import template

from hub import navigation

register = template.Library()


@register.inclusion_tag("partials/_profile_menu.html", takes_context=True)
def profile_menu(context, current_key):
    """HOME-3: the profile's left menu, entries by role (each app's access rule decides)."""
    return {"entries": navigation.profile_menu(context["request"].user, current_key)}


@register.simple_tag(takes_context=True)
def render_panel(context, panel):
    """Render one home panel with its own context on top of the page's."""
    tmpl = context.template.engine.get_template(panel["template"])
    with context.push(**panel["context"]):
        return tmpl.render(context)
