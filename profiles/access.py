"""Who may see which profile section and block (HOME-3, PRO-3..8, CON-3, PREF-3, PREF-4). Menus, views, templates
and tests ask these helpers; nobody re-derives a rule. A section a user may not see is absent from
the menu and its URL answers 404."""

from hub.access import is_brand_admin, is_customer, is_fedramp, license_type, per_request

# What the account-team card shows (PRO-3, PRO-5, PRO-7).
TEAM_ACCOUNT_TEAM = "account_team"  # brand admins: Customer Success Manager and Account Executive
TEAM_BRAND_ADMIN = "brand_admin"  # standard users: the brand-admin contact their organization chose
TEAM_HELP_POINTER = "help_pointer"  # FedRAMP standard users: how to find their brand administrator
TEAM_MANAGE_LICENSE = "manage_license"  # self-service brand admins: "Manage your license"
TEAM_FREE = "free"  # free accounts: Community and an upgrade path

# Who deletes the account (PRO-6).
DELETION_SELF = "self"  # free and self-service users delete their own account
DELETION_BRAND_ADMIN = "brand_admin"  # enterprise standard users: their brand administrator
DELETION_ACCOUNT_TEAM = "account_team"  # enterprise brand administrators: their account team


@per_request
def can_see_account(user) -> bool:
    """PRO-1: everyone signed in has account information (staff see their own details)."""
    return bool(getattr(user, "is_authenticated", False))


@per_request
def can_see_organization_settings(user) -> bool:
    """PRO-8: brand administrators only."""
    return is_brand_admin(user)


@per_request
def can_see_connected_accounts(user) -> bool:
    """CON-3: customers outside the FedRAMP environment. FedRAMP users read a note on their account
    page instead: Community and Academy still work for them, the hub just does not link them."""
    return is_customer(user) and not is_fedramp(user)


@per_request
def can_see_brand_admin_contacts(user) -> bool:
    """PRO-5: FedRAMP users never see a brand administrator's contact details, on any page."""
    return is_customer(user) and not is_fedramp(user)


@per_request
def account_team_kind(user) -> str | None:
    """Which account-team card the user gets (one of the TEAM_* values), None for vendor staff.
    Free accounts have no team; self-service brand administrators manage their license online;
    other brand administrators have an account team; standard users have a brand administrator,
    whose details FedRAMP users are not shown."""
    if not is_customer(user):
        return None
    organization = user.organization
    if organization.is_free:
        return TEAM_FREE
    if user.is_brand_admin:
        return TEAM_MANAGE_LICENSE if organization.is_self_service else TEAM_ACCOUNT_TEAM
    return TEAM_BRAND_ADMIN if can_see_brand_admin_contacts(user) else TEAM_HELP_POINTER


@per_request
def can_request_account_services_from_profile(user) -> bool:
    """PRO-4: brand administrators of an enterprise organization without a dedicated Customer
    Success Manager get the intake form on their account page."""
    return account_team_kind(user) == TEAM_ACCOUNT_TEAM and user.organization.customer_success_manager_id is None


@per_request
def account_deletion_kind(user) -> str | None:
    """Who deletes this account (one of the DELETION_* values), None for vendor staff."""
    if not is_customer(user):
        return None
    organization = user.organization
    if organization.is_free or organization.is_self_service:
        return DELETION_SELF
    return DELETION_ACCOUNT_TEAM if user.is_brand_admin else DELETION_BRAND_ADMIN


@per_request
def can_delete_own_account(user) -> bool:
    """PRO-6: users of free and self-service organizations delete their own account."""
    return account_deletion_kind(user) == DELETION_SELF and user.is_active and not user.is_deleted


@per_request
def can_manage_email_preferences(user) -> bool:
    """PREF-4: customers manage their email preferences in the hub, except free accounts and
    FedRAMP users (the section is absent and its URL answers 404). Everyone can still use the
    Manage subscriptions link in any email they receive (PREF-6)."""
    return is_customer(user) and bool(user.email) and license_type(user) != "free" and not is_fedramp(user)


@per_request
def sees_brand_admin_email_categories(user) -> bool:
    """PREF-3: categories meant for brand administrators (Operational updates) are shown to them only."""
    return is_brand_admin(user)
