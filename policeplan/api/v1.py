"""Version 1 of the open-data API: one NinjaAPI, its routers and its error handlers.

A breaking change gets a new module (v2.py) mounted beside this one; v1 stays as it is.
"""

from __future__ import annotations

from typing import Any

from ninja import NinjaAPI, Swagger

from . import (
    routes_areas,
    routes_catalogue,
    routes_downloads,
    routes_exceptions,
    routes_observations,
    routes_provenance,
    routes_registers,
    routes_reports,
)
from .openapi import forbid_nul_characters
from .problems import EXCEPTION_HANDLERS
from .throttling import ClientAddressThrottle

DESCRIPTION = """Read-only open data from the Police and Crime Plan performance site: plans,
metrics, observations with their provenance, areas, exceptions, import runs and the published
Board and Panel reports.

Every list is paged (`limit`, `offset`, and a `next` link) and is also available as CSV with
`format=csv`. Errors are RFC 9457 problem details. No key is needed; requests are limited per
address. Licensed under the Open Government Licence v3.0. See [the API guide](/api/)."""


class OpenDataAPI(NinjaAPI):
    """ninja's API, with the rules its schemas cannot carry added to the OpenAPI document."""

    def get_openapi_schema(self, **kwargs: Any) -> Any:
        return forbid_nul_characters(super().get_openapi_schema(**kwargs))


api = OpenDataAPI(
    title="Police and Crime Plan open data API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api-v1",
    openapi_url="/openapi.json",
    docs_url="/docs",
    # Swagger UI from ninja's bundled static files (no CDN); its validator badge would call
    # validator.swagger.io, so it is switched off.
    docs=Swagger(settings={"validatorUrl": None, "deepLinking": True}),
    throttle=[ClientAddressThrottle()],
    openapi_extra={
        "info": {
            "license": {
                "name": "Open Government Licence v3.0",
                "url": "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/",
            }
        }
    },
)

for exception_class, handler in EXCEPTION_HANDLERS:
    api.add_exception_handler(exception_class, handler)

for module in (
    routes_catalogue,
    routes_observations,
    routes_areas,
    routes_exceptions,
    routes_provenance,
    routes_downloads,
    routes_reports,
    routes_registers,
):
    api.add_router("", module.router)
