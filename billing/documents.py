"""BILL-4: the security and privacy documents linked at the bottom of the billing page. The
addresses come from settings (`HUB_SECURITY_DOCUMENTS`, each overridable by an environment
variable); an empty address hides that link."""

from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext_lazy as _

LABELS = {
    "trust_center": (_("Trust center"), _("Certifications, audits and how we protect your data.")),
    "security_overview": (_("Security overview"), _("Our security program, controls and practices.")),
    "privacy_statement": (_("Privacy statement"), _("How we collect and use personal data.")),
    "terms_of_service": (_("Terms of service"), _("The terms that govern your subscription.")),
    "data_processing_agreement": (
        _("Data processing agreement"), _("Our commitments as a processor of your data (GDPR)."),
    ),
    "subprocessors": (_("Subprocessors"), _("The third parties that process data on our behalf.")),
}


@dataclass(frozen=True)
class Document:
    key: str
    label: str
    description: str
    url: str


def security_documents() -> list[Document]:
    """The configured documents in the order of the setting; unknown keys are ignored."""
    documents = []
    for key, url in settings.HUB_SECURITY_DOCUMENTS.items():
        if url and key in LABELS:
            label, description = LABELS[key]
            documents.append(Document(key=key, label=label, description=description, url=url))
    return documents
