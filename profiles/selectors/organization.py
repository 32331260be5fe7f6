"""Organization settings (PRO-8): who is in the viewer's organization."""

from hub.models import User


def organization_members(organization):
    """The organization's users, deleted accounts left out, by name; the list is read-only."""
    return (
        User.objects.filter(organization=organization, deleted_at__isnull=True)
        .order_by("last_name", "first_name", "username")
        .only("first_name", "last_name", "username", "email", "user_type", "is_active", "deleted_at")
    )
