from typing import Any

from django.conf import settings
from django.http import HttpRequest


def site(request: HttpRequest) -> dict[str, Any]:
    """Values every page template needs: the service name and current plan slug."""
    return {
        "site_name": settings.POLICEPLAN_SITE_NAME,
        "current_plan_slug": settings.POLICEPLAN_CURRENT_PLAN,
    }
