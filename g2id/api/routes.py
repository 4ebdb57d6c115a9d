"""The public REST API (v1): file a request, follow it, list the domains."""

from __future__ import annotations

import datetime
import functools
import json
import logging
import uuid
from collections.abc import Callable
from typing import Any, Literal

from django.core.exceptions import RequestDataTooBig
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import translation
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from ninja import Header, NinjaAPI, Router, Schema
from ninja import Status as Reply
from ninja.errors import AuthenticationError, HttpError, ValidationError
from pydantic import BaseModel, Field, JsonValue, StrictBool
from pydantic.json_schema import JsonDict

from g2id.api.errors import BODY, ErrorOut, error_response, form_errors, pydantic_errors
from g2id.api.positioning import router as positioning_router
from g2id.institutions.models import TechnicalProfile
from g2id.public.throttle import rate_exceeded
from g2id.requests.forms import RequestDetailsForm
from g2id.requests.models import Request, Status
from g2id.requests.services import NotAdmitted
from g2id.taxonomy.models import Domain

api = NinjaAPI(
    title="G2ID API",
    version="1",
    description=(
        "Intervention requests of the G2ID cell. Errors always answer "
        '`{"detail": "…", "errors": [{"field": "…", "message": "…"}]}`.'
    ),
    urls_namespace="api",
)
# Unexpected errors are logged where Django logs its own 500s (and mails them to the admins).
logger = logging.getLogger("django.request")


def _in_the_callers_language(run: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Answer (and file the request) in the caller's language: French unless it asks otherwise.

    The pages outside /en/ are always French (i18n_patterns without a default prefix), and the
    locale middleware treats /api/v1/ the same way; an API client says its language with
    Accept-Language (or the language cookie) instead.
    """

    @functools.wraps(run)
    def in_language(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        language = translation.get_language_from_request(request)
        with translation.override(language):
            response = run(request, *args, **kwargs)
            response.headers.setdefault("Content-Language", translation.get_language())
        return response

    return in_language


api.add_decorator(_in_the_callers_language, mode="view")
# The team's endpoints (a member's token): opinions, decisions, suggestions.
api.add_router("", positioning_router)

# Longest Idempotency-Key accepted; a longer one is refused rather than cut (cut keys collide).
IDEMPOTENCY_KEY_MAX = 200


# The bodies the API reads are plain pydantic models: ninja's Schema reads any value attribute
# by attribute, so "library": "x" or a JSON array for the body became "field required" errors.


class LibraryIn(BaseModel):
    name: str
    isil: str | None = None
    city: str
    postcode: str
    kind: str | None = None


class ContactIn(BaseModel):
    name: str
    email: str
    phone: str | None = None
    role: str | None = None


def _accepted_codes(codes: list[str]) -> JsonDict:
    """The codes a field accepts, listed in the schema (the form checks them)."""
    enum: list[JsonValue] = [*codes]
    return {"enum": enum}


class TechnicalProfileIn(BaseModel):
    """What the library runs; every field optional, a missing or empty one erases nothing."""

    # Checked by the request form, which answers in the project's error shape; the schema
    # still lists the accepted codes.
    ils: str | None = Field(
        None,
        description="ILS (SIGB) code; for another ILS, `other` and its name in `ils_version`.",
        json_schema_extra=_accepted_codes(TechnicalProfile.Ils.values),
    )
    ils_version: str | None = Field(None, description="At most 50 characters.")
    portal: str | None = Field(None, description="Portal or website, at most 150 characters.")
    network: str | None = Field(
        None, description="Network or consortium the library belongs to, at most 200 characters."
    )
    hosting: str | None = Field(
        None,
        description="Where the ILS is hosted.",
        json_schema_extra=_accepted_codes(TechnicalProfile.Hosting.values),
    )
    has_it_support: StrictBool | None = Field(
        None, description="Whether the library has in-house IT help."
    )


class RequestIn(BaseModel):
    library: LibraryIn
    contact: ContactIn
    title: str
    description: str
    kind: str
    domains: list[str]
    # Strict: "yes", "on" or 1 are not an explicit consent; only JSON true is.
    consent: StrictBool
    systems: str | None = None
    desired_start: datetime.date | None = None
    desired_end: datetime.date | None = None
    technical_profile: TechnicalProfileIn | None = None


class RequestCreated(Schema):
    reference: str
    status: str
    tracking_url: str
    token: str


class EventOut(Schema):
    kind: Literal["status", "transfer"]
    from_status: str | None
    status: str
    status_label: str
    by: str
    reason: str
    at: datetime.datetime


class AttachmentOut(Schema):
    name: str
    size: int
    content_type: str


class MessageOut(Schema):
    author: str
    body: str
    at: datetime.datetime
    attachments: list[AttachmentOut]


class TrackOut(Schema):
    reference: str
    title: str
    status: str
    status_label: str
    history: list[EventOut]
    messages: list[MessageOut]


class DomainOut(Schema):
    code: str
    family: str
    label_fr: str
    label_en: str


# Where each form field lives in the JSON body, so that errors name the caller's field.
FORM_FIELD_TO_JSON = {
    "library_name": "library.name",
    "library_isil": "library.isil",
    "library_kind": "library.kind",
    "library_postcode": "library.postcode",
    "library_city": "library.city",
    "contact_name": "contact.name",
    "contact_email": "contact.email",
    "contact_phone": "contact.phone",
    "contact_role": "contact.role",
    "library_ils": "technical_profile.ils",
    "library_ils_version": "technical_profile.ils_version",
    "library_portal": "technical_profile.portal",
    "library_network": "technical_profile.network",
    "library_hosting": "technical_profile.hosting",
    "library_it_support": "technical_profile.has_it_support",
}


@api.exception_handler(ValidationError)
def on_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    return error_response(
        api, request, _("The request body is not valid."), pydantic_errors(exc.errors), 422
    )


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    if exc.status_code == 400 and isinstance(exc.__cause__, ValueError):
        # Ninja's "Cannot parse request body": a JSONDecodeError or a UnicodeDecodeError.
        message = _("The request body is not valid JSON.")
        return error_response(api, request, message, [{"field": BODY, "message": message}], 400)
    return error_response(api, request, str(exc), [], exc.status_code)


@api.exception_handler(RequestDataTooBig)
def on_body_too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
    message = _("The request body is too large.")
    return error_response(api, request, message, [{"field": BODY, "message": message}], 400)


@api.exception_handler(Http404)
def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return error_response(api, request, _("Not found."), [], 404)


@api.exception_handler(Exception)
def on_unexpected_error(request: HttpRequest, exc: Exception) -> HttpResponse:
    """A bug: logged with its traceback as Django would, answered in the API's shape."""
    logger.error(
        "Internal Server Error: %s",
        request.path,
        exc_info=exc,
        extra={"status_code": 500, "request": request},
    )
    return error_response(api, request, _("An unexpected error occurred."), [], 500)


@api.exception_handler(AuthenticationError)
def on_authentication_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return error_response(api, request, _("Authentication required."), [], 401)


def _idempotency_key(key: str, email: str) -> uuid.UUID | None:
    """The submission key of an Idempotency-Key header, scoped to the contact's address.

    Scoped so that a key reused by somebody else (or guessed) files that person's own request
    instead of handing them the first request's private tracking token.
    """
    if not key:
        return None
    scope = json.dumps(["g2id-api", email.strip().lower(), key])
    return uuid.uuid5(uuid.NAMESPACE_URL, scope)


@api.post(
    "/requests",
    response={
        201: RequestCreated,
        200: RequestCreated,
        400: ErrorOut,
        422: ErrorOut,
        429: ErrorOut,
    },
    summary="File an intervention request",
    description=(
        "No login. Rate-limited per client address together with the web form. "
        "Send an `Idempotency-Key` header to make retries safe: the same key returns the "
        "request filed first, with status 200 (a key is scoped to the contact's e-mail "
        f"address, and has at most {IDEMPOTENCY_KEY_MAX} characters). Invalid input answers "
        "400 (body not JSON) or 422 and stores nothing. The optional `technical_profile` "
        "updates the library's technical profile; a missing or empty value erases nothing."
    ),
)
def create_request(
    request: HttpRequest,
    payload: RequestIn,
    idempotency_key: str = Header(
        "",
        alias="Idempotency-Key",
        description="Any string of your choice, the same for every retry of one submission.",
    ),
) -> Any:
    # The rate limit counts every post, valid or not: an invalid one here, before its answer;
    # a valid one in the transaction that files it (one write transaction, not two).
    def too_many() -> HttpResponse:
        return error_response(
            api, request, _("Too many requests from your address; try again later."), [], 429
        )

    idempotency_key = idempotency_key.strip()
    if len(idempotency_key) > IDEMPOTENCY_KEY_MAX:
        if rate_exceeded(request, group="submit"):
            return too_many()
        message = _("An Idempotency-Key has at most %(count)d characters.") % {
            "count": IDEMPOTENCY_KEY_MAX
        }
        return error_response(
            api,
            request,
            _("Some fields are not valid; nothing was stored."),
            [{"field": "Idempotency-Key", "message": message}],
            422,
        )
    tools = payload.technical_profile or TechnicalProfileIn.model_validate({})
    form = RequestDetailsForm(
        data={
            "library_name": payload.library.name,
            "library_isil": payload.library.isil or "",
            "library_kind": payload.library.kind or "",
            "library_postcode": payload.library.postcode,
            "library_city": payload.library.city,
            "contact_name": payload.contact.name,
            "contact_email": payload.contact.email,
            "contact_phone": payload.contact.phone or "",
            "contact_role": payload.contact.role or "",
            "title": payload.title,
            "description": payload.description,
            "kind": payload.kind,
            "domains": payload.domains,
            "systems": payload.systems or "",
            "desired_start": payload.desired_start,
            "desired_end": payload.desired_end,
            "consent": payload.consent,
            "library_ils": tools.ils or "",
            "library_ils_version": tools.ils_version or "",
            "library_portal": tools.portal or "",
            "library_network": tools.network or "",
            "library_hosting": tools.hosting or "",
            "library_it_support": {True: "yes", False: "no", None: ""}[tools.has_it_support],
        }
    )
    if not form.is_valid():
        if rate_exceeded(request, group="submit"):
            return too_many()
        return error_response(
            api,
            request,
            _("Some fields are not valid; nothing was stored."),
            form_errors(form, FORM_FIELD_TO_JSON),
            422,
        )
    key = _idempotency_key(idempotency_key, form.cleaned_data["contact_email"])
    replay = key is not None and Request.objects.filter(submission_key=key).exists()
    try:
        filed = form.file(
            language=get_language() or "fr",
            submission_key=key,
            admit=lambda: not rate_exceeded(request, group="submit"),
        )
    except NotAdmitted:
        return too_many()
    body = {
        "reference": filed.reference,
        "status": filed.status,
        "tracking_url": filed.tracking_url,
        "token": filed.tracking_token,
    }
    return Reply(200 if replay else 201, body)


@api.get(
    "/track/{token}",
    response={200: TrackOut, 404: ErrorOut},
    summary="Follow a request with its private token",
    description="Only what the library may see: no internal note, no team member's name.",
)
def track_request(request: HttpRequest, token: str) -> Any:
    tracked = Request.objects.by_tracking_token(token)
    if tracked is None:
        return Reply(404, {"detail": _("No request has this tracking token."), "errors": []})
    events = tracked.events.all()
    conversation = tracked.messages.for_library().prefetch_related("attachments")
    return {
        "reference": tracked.reference,
        "title": tracked.title,
        "status": tracked.status,
        "status_label": str(Status(tracked.status).label),
        "history": [
            {
                "kind": "transfer" if event.is_transfer else "status",
                "from_status": event.from_status or None,
                "status": event.to_status,
                "status_label": str(Status(event.to_status).label),
                "by": event.actor_party,
                # A transfer's reason is the team's business; the library sees only the move.
                "reason": "" if event.is_transfer else event.reason,
                "at": event.created_at,
            }
            for event in events
        ],
        "messages": [
            {
                "author": message.author_party,
                "body": message.body,
                "at": message.created_at,
                "attachments": [
                    {"name": a.original_name, "size": a.size, "content_type": a.content_type}
                    for a in message.attachments.all()
                ],
            }
            for message in conversation
        ],
    }


@api.get("/domains", response=list[DomainOut], summary="The request domains (stable codes)")
def list_domains(request: HttpRequest) -> Any:
    return [
        {
            "code": domain.code,
            "family": domain.family.code,
            "label_fr": domain.label_fr,
            "label_en": domain.label_en,
        }
        for domain in Domain.objects.select_related("family")
    ]


# --- The same error shape for a wrong method or an unknown address under /api/v1/ -----------
# (Without these, ninja answers a wrong method in plain text and Django an unknown path in HTML.)
METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"]


def _method_not_allowed(request: HttpRequest, allowed: str) -> HttpResponse:
    response = error_response(api, request, _("This method is not allowed here."), [], 405)
    response["Allow"] = allowed
    return response


@api.api_operation([m for m in METHODS if m != "POST"], "/requests", include_in_schema=False)
def requests_other_methods(request: HttpRequest) -> HttpResponse:
    return _method_not_allowed(request, "POST")


@api.api_operation([m for m in METHODS if m != "GET"], "/track/{token}", include_in_schema=False)
def track_other_methods(request: HttpRequest, token: str) -> HttpResponse:
    return _method_not_allowed(request, "GET")


@api.api_operation([m for m in METHODS if m != "GET"], "/domains", include_in_schema=False)
def domains_other_methods(request: HttpRequest) -> HttpResponse:
    return _method_not_allowed(request, "GET")


# In a router of its own, added last: a router's addresses come after those added before it.
fallback = Router()


@fallback.api_operation(METHODS, "/{path:rest}", include_in_schema=False)
def unknown_address(request: HttpRequest, rest: str) -> HttpResponse:
    return error_response(api, request, _("Not found."), [], 404)


api.add_router("", fallback)
