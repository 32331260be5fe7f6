"""Profiles' models, one module per feature; each is imported here so Django finds it."""
from .connected import Certification, CommunityProfile, ConnectedAccountsSync  # noqa: F401
from .preferences import (  # noqa: F401
    ConsentEvent,
    EmailCategory,
    EmailCategoryTranslation,
    EmailPreference,
    MailingSyncRun,
    MailingSyncState,
    PreferenceChange,
    Subscriber,
)
