"""The public REST API (v1): file a request, follow it, list the domains."""

from __future__ import annotations

import datetime
import uuid
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError

from g2id.api.errors import error_response, form_errors, pydantic_errors
from g2id.lib.http import rate_exceeded
from g2id.requests.forms import RequestDetailsForm
from g2id.requests.models import Request, Status
from g2id.requests.services import submit_request
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


class ErrorItem(Schema):
    field: str
    message: str


class ErrorOut(Schema):
    detail: str
    errors: list[ErrorItem] = []


class LibraryIn(Schema):
    name: str
    isil: str | None = None
    city: str
    postcode: str
    kind: str | None = None


class ContactIn(Schema):
    name: str
    email: str
    phone: str | None = None
    role: str | None = None


class RequestIn(Schema):
    library: LibraryIn
    contact: ContactIn
    title: str
    description: str
    kind: str
    domains: list[str]
    consent: bool
    systems: str | None = None
    desired_start: datetime.date | None = None
    desired_end: datetime.date | None = None


class RequestCreated(Schema):
    reference: str
    status: str
    tracking_url: str
    token: str


class EventOut(Schema):
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
}


@api.exception_handler(ValidationError)
def on_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    return error_response(
        api, request, _("The request body is not valid."), pydantic_errors(exc.errors), 422
    )


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return error_response(api, request, str(exc), [], exc.status_code)


@api.exception_handler(AuthenticationError)
def on_authentication_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return error_response(api, request, _("Authentication required."), [], 401)


def _idempotency_key(request: HttpRequest) -> uuid.UUID | None:
    key = request.headers.get("Idempotency-Key", "").strip()[:200]
    return uuid.uuid5(uuid.NAMESPACE_URL, "g2id-api:" + key) if key else None


@api.post(
    "/requests",
    response={201: RequestCreated, 200: RequestCreated, 422: ErrorOut, 429: ErrorOut},
    summary="File an intervention request",
    description=(
        "No login. Rate-limited per client address together with the web form. "
        "Send an `Idempotency-Key` header to make retries safe: the same key returns the "
        "request filed first, with status 200."
    ),
)
def create_request(request: HttpRequest, payload: RequestIn) -> Any:
    if rate_exceeded(request, group="submit"):
        return error_response(
            api, request, _("Too many requests from your address; try again later."), [], 429
        )
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
        }
    )
    if not form.is_valid():
        return error_response(
            api,
            request,
            _("Some fields are not valid; nothing was stored."),
            form_errors(form, FORM_FIELD_TO_JSON),
            422,
        )
    key = _idempotency_key(request)
    replay = key is not None and Request.objects.filter(submission_key=key).exists()
    filed = submit_request(
        library=form.library(),
        contact=form.contact(),
        title=form.cleaned_data["title"],
        description=form.cleaned_data["description"],
        kind=form.cleaned_data["kind"],
        domains=list(form.cleaned_data["domains"]),
        systems=form.cleaned_data["systems"],
        desired_start=form.cleaned_data["desired_start"],
        desired_end=form.cleaned_data["desired_end"],
        language=get_language() or "fr",
        submission_key=key,
    )
    body = {
        "reference": filed.reference,
        "status": filed.status,
        "tracking_url": filed.tracking_url,
        "token": filed.tracking_token,
    }
    return (200 if replay else 201), body


@api.get(
    "/track/{token}",
    response={200: TrackOut, 404: ErrorOut},
    summary="Follow a request with its private token",
    description="Only what the library may see: no internal note, no team member's name.",
)
def track_request(request: HttpRequest, token: str) -> Any:
    tracked = Request.objects.by_tracking_token(token)
    if tracked is None:
        return 404, {"detail": _("No request has this tracking token."), "errors": []}
    events = tracked.events.all()
    conversation = tracked.messages.for_library().prefetch_related("attachments")
    return {
        "reference": tracked.reference,
        "title": tracked.title,
        "status": tracked.status,
        "status_label": Status(tracked.status).label,
        "history": [
            {
                "from_status": event.from_status or None,
                "status": event.to_status,
                "status_label": Status(event.to_status).label,
                "by": event.actor_party,
                "reason": event.reason,
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
