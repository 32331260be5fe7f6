from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

TICKET_WORK = [
    "support.view_ticket", "support.change_ticket", "support.reply_ticket", "support.view_ticketevent",
    "support.view_ticketattachment", "support.view_ticketrating", "support.view_productarea",
    "support.view_chat",
]

# ADM-2, AST-4: support agents and customer success keep the knowledge base and read the
# assistant's conversations and tasks.
KNOWLEDGE_WORK = [
    "support.view_knowledgearticle", "support.add_knowledgearticle", "support.change_knowledgearticle",
    "support.view_articlefeedback", "support.view_assistantconversation", "support.view_assistantturn",
    "support.view_knowledgetask", "support.change_knowledgetask",
]


def _home_card(request):
    from . import access, selectors

    user = request.user
    if not access.can_get_support(user):
        return None
    return {"open_ticket_count": selectors.unresolved_ticket_count(user),
            "can_schedule_calls": access.can_schedule_calls(user)}


class SupportConfig(AppConfig):
    name = "support"
    verbose_name = _("Support")

    def ready(self):
        from hub import staff
        from hub.navigation import HomePanel, ProfileSection, register_home_panel, register_profile_section

        from . import access

        # ADM-1: agents work the technical queues and keep areas, hours, holidays and agents'
        # shifts and time off up to date; Account Services works its own queue; Customer success
        # reads tickets and scores.
        staff.grant(staff.SUPPORT_AGENTS, TICKET_WORK + [
            "support.view_inboundemail", "support.change_productarea",
            "support.view_supportschedule", "support.add_supportschedule", "support.change_supportschedule",
            "support.view_supportwindow", "support.add_supportwindow", "support.change_supportwindow",
            "support.delete_supportwindow",
            "support.view_supportholiday", "support.add_supportholiday", "support.change_supportholiday",
            "support.delete_supportholiday",
            "support.view_supportagent", "support.change_supportagent",
            "support.view_agentshift", "support.add_agentshift", "support.change_agentshift",
            "support.delete_agentshift",
            "support.view_agenttimeoff", "support.add_agenttimeoff", "support.change_agenttimeoff",
            "support.delete_agenttimeoff",
            "support.view_scheduledcall", "support.change_scheduledcall",
            *KNOWLEDGE_WORK,
        ])
        staff.grant(staff.ACCOUNT_SERVICES, TICKET_WORK + ["support.view_inboundemail"])
        staff.grant(staff.CUSTOMER_SUCCESS, [
            "support.view_ticket", "support.view_ticketevent", "support.view_ticketrating",
            "support.view_productarea", "support.view_chat", "support.view_scheduledcall",
            *KNOWLEDGE_WORK,
        ])
        # SUP-5 / ENT-1: what the organization's plan includes, in the profile menu.
        enterprise_views = ["support.view_enterprisedesignation", "support.view_enterprisehandover",
                            "support.view_enterpriseverification"]
        staff.grant(staff.SUPPORT_AGENTS, enterprise_views)
        staff.grant(staff.CUSTOMER_SUCCESS, enterprise_views)
        register_profile_section(ProfileSection(
            key="entitlements", label=_("Support plan"), url_name="support:entitlements", order=45,
            is_visible=access.can_get_support,
        ))
        # CB-4: agents work the callback queue from the admin; Customer success reads it.
        staff.grant(staff.SUPPORT_AGENTS, ["support.view_callback", "support.change_callback"])
        staff.grant(staff.CUSTOMER_SUCCESS, ["support.view_callback"])
        register_home_panel(HomePanel(
            key="support", slot="card", order=40, template="support/_home_card.html", get_context=_home_card,
        ))
