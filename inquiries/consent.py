"""The consent to the processing of personal data shown on the public form, by version.

A new wording gets a new version key; old keys stay so that what each asker agreed to can be shown.
Each enquiry stores the version and the time of consent.
"""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

CONSENT_TEXTS: dict[str, Promise] = {
    "2026-01": _(
        "I agree that the Vietnam TBT network processes the personal data in this form (name, organisation, "
        "e-mail, phone, province) to answer my enquiry and to compile anonymous statistics. The data are "
        "shared only with the TBT points that handle the enquiry and are removed after the retention "
        "period; I can ask for their erasure at any time on the tracking page."
    ),
}
CONSENT_VERSION = "2026-01"


def consent_text(version: str = CONSENT_VERSION) -> Promise:
    return CONSENT_TEXTS[version]
