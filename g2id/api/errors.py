"""One error shape for the whole API: {"detail": "…", "errors": [{"field", "message"}]}.

`field` is the dotted path of the caller's JSON field ("contact.email", "domains.0");
it is "" when the problem is the body as a whole (not JSON, not an object, too large).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Schema

BODY = ""  # the `field` of an error about the whole body


class ErrorItem(Schema):
    field: str
    message: str


class ErrorOut(Schema):
    """The error shape, as the OpenAPI schema describes it."""

    detail: str
    errors: list[ErrorItem] = []


def error_response(
    api: NinjaAPI,
    request: HttpRequest,
    detail: str,
    errors: Sequence[Mapping[str, str]],
    status: int,
) -> HttpResponse:
    body = {
        "detail": str(detail),
        "errors": [
            {"field": str(error["field"]), "message": str(error["message"])} for error in errors
        ],
    }
    return api.create_response(request, body, status=status)


def form_errors(form: forms.Form, field_names: Mapping[str, str]) -> list[dict[str, str]]:
    """A Django form's errors, each under the name the caller used for the field."""
    return [
        {
            "field": BODY if field == NON_FIELD_ERRORS else field_names.get(field, field),
            "message": str(message),
        }
        for field, messages in form.errors.items()
        for message in messages
    ]


def _pydantic_message(error: Mapping[str, Any]) -> str:
    kind = error.get("type", "")
    date_expected = _("A date (YYYY-MM-DD) is expected.")
    messages = {
        "missing": _("This field is required."),
        "string_type": _("A string is expected."),
        "bool_type": _("true or false is expected."),
        "bool_parsing": _("true or false is expected."),
        "list_type": _("A list is expected."),
        "model_type": _("A JSON object is expected."),
        "model_attributes_type": _("A JSON object is expected."),
        "dict_type": _("A JSON object is expected."),
        "date_type": date_expected,
        "date_parsing": date_expected,
        "date_from_datetime_parsing": date_expected,
        "date_from_datetime_inexact": date_expected,
        "date_future": date_expected,
        "date_past": date_expected,
        "json_invalid": _("The request body is not valid JSON."),
        "string_unicode": _("A string is expected."),
    }
    # Never pydantic's own English text: the API answers in the request's language.
    return str(messages.get(kind, _("This value is not valid.")))


def pydantic_errors(errors: Sequence[Mapping[str, Any]]) -> list[dict[str, str]]:
    """Ninja's validation errors, with the location of the body stripped and French messages."""
    result = []
    for error in errors:
        location = [str(part) for part in error.get("loc", ())]
        if location[:1] == ["body"]:  # where ninja read it, then the name of the view's argument
            location = location[2:]
        if location:
            result.append({"field": ".".join(location), "message": _pydantic_message(error)})
        else:  # empty body, `null`, a number, an array…: the body is not the expected object
            result.append({"field": BODY, "message": _("A JSON object is expected.")})
    return result
