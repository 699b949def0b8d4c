from typing import Any

from django.conf import settings
from django.http import HttpRequest

# (label, URL, URL names under which the item is shown as current)
NAVIGATION = [
    ("Home", "/", {"home", "plan", "mission", "strategy"}),
    ("Performance", "/performance-framework/",
     {"performance-framework", "plan-performance-framework", "metric"}),
    ("Your area", "/your-area/", {"my-area", "area"}),
    ("Exceptions", "/exceptions/", {"exceptions"}),
    ("National measures", "/national-measures/", {"national-measures"}),
    ("Official statistics", "/official-statistics/",
     {"official-statistics", "official-offence-group"}),
    ("Reports", "/reports/", {"reports", "report"}),
    ("Accountability", "/accountability/", {"registers", "register", "governance-body"}),
    ("Compare plans", "/plans/compare/", {"compare-plans"}),
    ("About the data", "/about/", {"about", "coverage"}),
]  # fmt: skip


def site(request: HttpRequest) -> dict[str, Any]:
    """Values every page template needs: the service name, current plan and navigation."""
    return {
        "site_name": settings.POLICEPLAN_SITE_NAME,
        "current_plan_slug": settings.POLICEPLAN_CURRENT_PLAN,
        "navigation": NAVIGATION,
    }
