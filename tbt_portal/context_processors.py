from typing import Any

from django.conf import settings
from django.http import HttpRequest


def portal(request: HttpRequest) -> dict[str, Any]:
    return {
        "DEMO_MODE": settings.DEMO_MODE,
        "OTP_REQUIRED_FOR_ADMINS": settings.OTP_REQUIRED_FOR_ADMINS,
    }
