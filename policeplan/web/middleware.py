"""Middleware that every request passes: a log line per request, and request limits answered
with a clean 400 instead of an exception.

``RequestLogMiddleware`` goes first in ``MIDDLEWARE`` so it times and sees everything;
``RequestLimitsMiddleware`` goes before anything that reads the query or form;
``HeadMiddleware`` anywhere after the log (so the log counts the bytes a GET would send).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from ninja.throttling import BaseThrottle

from .errors import TOO_MANY_FIELDS, bad_request_response

Handler = Callable[[HttpRequest], HttpResponseBase]
request_logger = logging.getLogger("policeplan.request")
# The client's address as the API's rate limit sees it (POLICEPLAN_PROXIES; settings.py).
CLIENT = BaseThrottle()

FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def client_address(request: HttpRequest) -> str | None:
    """The client's address behind ``POLICEPLAN_PROXIES`` reverse proxies: one answer for the
    API's rate limit, the request log and the sign-in lockout (``AXES_CLIENT_IP_CALLABLE``)."""
    return CLIENT.get_ident(request)


class RequestLimitsMiddleware:
    """Parse the query string (and a form body) up front, so that Django's limits
    (``DATA_UPLOAD_MAX_NUMBER_FIELDS``, ``..._MAX_MEMORY_SIZE``, ``..._MAX_NUMBER_FILES``) end in
    a 400 page or problem, in development as in production, rather than in an exception
    wherever a view or template first touches ``request.GET`` (Django's debug page, or a 500
    when the exception escapes an error handler)."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        try:
            request.GET  # noqa: B018 - parsing is the point
            if request.method == "POST" and request.content_type in FORM_TYPES:
                request.POST  # noqa: B018
        except TooManyFieldsSent:
            limit = settings.DATA_UPLOAD_MAX_NUMBER_FIELDS
            return bad_request_response(request, TOO_MANY_FIELDS.format(limit=limit))
        except TooManyFilesSent:
            return bad_request_response(request, "The form sends more files than allowed.")
        except RequestDataTooBig:
            return bad_request_response(request, "The form sends more data than allowed.")
        return self.get_response(request)


class HeadMiddleware:
    """HEAD answers carry the GET answer's headers and no body. Django's development server
    drops the body itself; a production server may not."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if request.method == "HEAD" and isinstance(response, HttpResponse) and response.content:
            response["Content-Length"] = str(len(response.content))
            response.content = b""
        return response


class RequestLogMiddleware:
    """One log record per request on the ``policeplan.request`` logger (INFO): method, path,
    status, duration and size; JSON in production (settings.LOGGING)."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        started = time.perf_counter()
        response = self.get_response(request)
        if request_logger.isEnabledFor(logging.INFO):
            duration_ms = round((time.perf_counter() - started) * 1000, 1)
            size = _size(response)
            request_logger.info(
                "%s %s %s %.1fms",
                request.method,
                request.path,
                response.status_code,
                duration_ms,
                extra={
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "duration_ms": duration_ms,
                    "bytes": size,
                    "client": client_address(request),
                },
            )
        return response


def _size(response: HttpResponseBase) -> int | None:
    """Bytes in the body, when known without reading a streamed one."""
    if response.has_header("Content-Length"):
        return int(response["Content-Length"])
    if isinstance(response, HttpResponse):
        return len(response.content)
    return None
