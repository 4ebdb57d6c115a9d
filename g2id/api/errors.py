"""One error shape for the whole API: {"detail": "…", "errors": [{"field", "message"}]}."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI


def error_response(
    api: NinjaAPI,
    request: HttpRequest,
    detail: str,
    errors: Sequence[Mapping[str, str]],
    status: int,
) -> HttpResponse:
    return api.create_response(request, {"detail": detail, "errors": list(errors)}, status=status)


def form_errors(form: forms.Form, field_names: Mapping[str, str]) -> list[dict[str, str]]:
    """A Django form's errors, each under the name the caller used for the field."""
    return [
        {"field": field_names.get(field, field) if field != "__all__" else "", "message": message}
        for field, messages in form.errors.items()
        for message in messages
    ]


def _pydantic_message(error: Mapping[str, Any]) -> str:
    kind = error.get("type", "")
    messages = {
        "missing": _("This field is required."),
        "string_type": _("A string is expected."),
        "bool_type": _("true or false is expected."),
        "bool_parsing": _("true or false is expected."),
        "list_type": _("A list is expected."),
        "model_attributes_type": _("A JSON object is expected."),
        "dict_type": _("A JSON object is expected."),
        "date_type": _("A date (YYYY-MM-DD) is expected."),
        "date_from_datetime_parsing": _("A date (YYYY-MM-DD) is expected."),
        "date_parsing": _("A date (YYYY-MM-DD) is expected."),
        "json_invalid": _("The request body is not valid JSON."),
    }
    return str(messages.get(kind, error.get("msg", _("Invalid value."))))


def pydantic_errors(errors: Sequence[Mapping[str, Any]]) -> list[dict[str, str]]:
    """Ninja's validation errors, with the location of the body stripped and French messages."""
    result = []
    for error in errors:
        location = [str(part) for part in error.get("loc", ()) if part not in ("body", "payload")]
        result.append({"field": ".".join(location), "message": _pydantic_message(error)})
    return result
