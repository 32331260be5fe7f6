"""Email preferences (PREF-1..8): selectors, services, subscription links, the email decorator,
the mailing-system adapter and its sync."""
