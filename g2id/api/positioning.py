"""The team's API: opinions, decisions and suggestions on a request, with a member's token.

A request is visible only to the members of the cells serving it; any other reference answers
404, so that references do not leak. Refusals of the positioning rules answer 400 (409 when the
group has already positioned itself), in the API's one error shape.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Annotated, Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja import Status as Reply
from pydantic import AfterValidator, BaseModel, Field

from g2id.accounts.models import User
from g2id.api.auth import MemberToken
from g2id.api.errors import ErrorOut
from g2id.directory.models import Partner
from g2id.interventions.models import Role
from g2id.positioning.models import Decision, Opinion, Outcome, Stance
from g2id.positioning.services import (
    OPEN_FOR_OPINIONS,
    Positioning,
    PositioningRefused,
    decide,
    give_opinion,
    positioning_of,
)
from g2id.public.cache import remembered_for_member
from g2id.requests.models import Request, Status
from g2id.suggestions.services import suggestions_of

router = Router(auth=MemberToken(), tags=["positioning"])

NOT_FOUND_OR_NO_TOKEN = {401: ErrorOut, 404: ErrorOut}


# --- Schemas ----------------------------------------------------------------------------------


class OpinionOut(Schema):
    member: str | None = Field(description="The member's username; null for an invited expert.")
    name: str
    invited: bool = Field(description="An invited expert's opinion: read, never counted.")
    stance: str
    stance_label: str
    role: str
    partners: list[str] = Field(description="Codes of the partners a `refer` opinion names.")
    comment: str
    given_at: datetime.datetime
    revised_at: datetime.datetime | None
    revisions: int


class QuorumOut(Schema):
    voters: int = Field(description="Active members of the cell who are not recused.")
    given: int
    needed: int
    reached: bool


class RecusalOut(Schema):
    member: str
    name: str
    reason: str
    declared: bool = Field(
        description="Declared by the member; false when their home institution filed the request."
    )


class OpinionsOut(Schema):
    opinions: list[OpinionOut]
    quorum: QuorumOut
    recusals: list[RecusalOut]
    waiting_for: list[str] = Field(description="Usernames of the members whose opinion is awaited.")


class DecisionOut(Schema):
    outcome: str
    outcome_label: str
    rationale: str
    override_reason: str
    decided_by: str
    decided_at: datetime.datetime
    opinions_given: int
    voters: int
    quorum_reached: bool
    partners: list[str] = Field(description="Codes of the partners of a referral.")
    message: str = Field(description="The referral's message to the library.")


class MemberSuggestionOut(Schema):
    username: str
    name: str
    score: float
    reasons: list[str]


class PartnerSuggestionOut(Schema):
    code: str
    name: str
    score: float
    reasons: list[str]


class SimilarRequestOut(Schema):
    reference: str
    title: str
    outcome: str
    score: float


class SuggestionsOut(Schema):
    members: list[MemberSuggestionOut]
    partners: list[PartnerSuggestionOut]
    similar: list[SimilarRequestOut]


# Bodies are plain pydantic models, as in routes.py: a wrong type is a field error.


def _no_nul(value: str) -> str:
    """PostgreSQL refuses NUL characters in text: refuse them first, as a field error."""
    if "\x00" in value:
        raise ValueError("NUL character")
    return value


Text = Annotated[str, AfterValidator(_no_nul)]


class OpinionIn(BaseModel):
    stance: Text = Field(json_schema_extra={"enum": [*Stance.values]})
    role: Text = Field(
        "",
        description="Required with `take`: the role you would play.",
        json_schema_extra={"enum": ["", *Role.values]},
    )
    partners: list[Text] = Field(
        [], description="With `refer`: codes of the partners serving the library's region."
    )
    comment: Text = ""


class DecisionIn(BaseModel):
    outcome: Text = Field(json_schema_extra={"enum": [*Outcome.values]})
    rationale: Text = Field(description="Written for the library: it reads it as it is.")
    override_reason: Text = Field("", description="Required to decide before the quorum.")
    partners: list[Text] = Field([], description="With `referred`: codes of the partners.")
    message: Text = Field("", description="With `referred`: the message to the library.")


# --- Helpers ----------------------------------------------------------------------------------


def _member(request: HttpRequest) -> User:
    """The account the token authenticated (see MemberToken)."""
    user: User = request.auth  # type: ignore[attr-defined]  # set by ninja
    return user


def _visible_request(
    request: HttpRequest, reference: str, related: tuple[str, ...] = ("cell", "institution")
) -> Request:
    if "\x00" in reference:  # %00 in the address: no request has it (and PostgreSQL refuses it)
        raise Http404
    # A reference is unique: no order to apply.
    found = (
        Request.objects.visible_to(_member(request))
        .select_related(*related)
        .filter(reference=reference)
        .order_by()[:1]
    )
    if not found:
        raise Http404
    return found[0]


def _error(status: int, detail: str, field: str | None = None) -> Reply:
    errors = [{"field": field, "message": detail}] if field is not None else []
    return Reply(status, {"detail": detail, "errors": errors})


def _refusal(refused: PositioningRefused, *, still_open: bool) -> Reply:
    """400 for a refused step; 409 when the request is no longer open to it."""
    status = 409 if refused.field is None and not still_open else 400
    return _error(status, str(refused), refused.field)


def _status_of(request: Request) -> str | None:
    return Request.objects.filter(pk=request.pk).values_list("status", flat=True).first()


class UnknownPartners(Exception):
    def __init__(self, errors: list[dict[str, str]]) -> None:
        super().__init__(errors)
        self.errors = errors


def _partners(request: Request, codes: Sequence[str]) -> list[Partner]:
    """The listed partners serving the library's region, by code; every code must be known."""
    found = list(
        Partner.objects.listed().serving(request.institution.region).filter(code__in=set(codes))
    )
    known = {partner.code for partner in found}
    unknown = [
        {
            "field": f"partners.{index}",
            "message": _("No partner serving this library's region has the code “%(code)s”.")
            % {"code": code},
        }
        for index, code in enumerate(codes)
        if code not in known
    ]
    if unknown:
        raise UnknownPartners(unknown)
    return found


def _unknown_partners(error: UnknownPartners) -> Reply:
    return Reply(
        422, {"detail": _("Some fields are not valid; nothing was stored."), "errors": error.errors}
    )


def _opinion_json(opinion: Opinion) -> dict[str, Any]:
    return {
        "member": opinion.author.username if opinion.author is not None else None,
        "name": opinion.author_name,
        "invited": opinion.is_invited,
        "stance": opinion.stance,
        "stance_label": str(Stance(opinion.stance).label),
        "role": opinion.role,
        "partners": sorted(partner.code for partner in opinion.partners.all()),
        "comment": opinion.comment,
        "given_at": opinion.given_at,
        "revised_at": opinion.revised_at,
        "revisions": opinion.revisions,
    }


def _positioning_json(group: Positioning) -> dict[str, Any]:
    quorum = group.quorum
    return {
        "opinions": [_opinion_json(opinion) for opinion in group.opinions],
        "quorum": {
            "voters": quorum.voters,
            "given": quorum.given,
            "needed": quorum.needed,
            "reached": quorum.reached,
        },
        "recusals": [
            {
                "member": row.person.username,
                "name": str(row.person),
                "reason": row.stepped_aside,
                "declared": row.person.pk in group.recusals,
            }
            for row in group.rows
            if row.stepped_aside
        ],
        "waiting_for": [user.username for user in group.waiting_for],
    }


def _decision_json(decision: Decision) -> dict[str, Any]:
    referral = getattr(decision, "referral", None)
    return {
        "outcome": decision.outcome,
        "outcome_label": str(Outcome(decision.outcome).label),
        "rationale": decision.rationale,
        "override_reason": decision.override_reason,
        "decided_by": decision.decided_by.username,
        "decided_at": decision.decided_at,
        "opinions_given": decision.opinions_given,
        "voters": decision.voters,
        "quorum_reached": decision.quorum_reached,
        "partners": sorted(p.code for p in referral.partners.all()) if referral else [],
        "message": referral.message if referral else "",
    }


# --- Opinions ---------------------------------------------------------------------------------

OPINIONS = "/requests/{reference}/opinions"
DECISIONS = "/requests/{reference}/decisions"
SUGGESTIONS = "/requests/{reference}/suggestions"


@router.get(
    OPINIONS,
    response={200: OpinionsOut, **NOT_FOUND_OR_NO_TOKEN},
    summary="The group's opinions on a request, the quorum and the recusals",
)
def list_opinions(request: HttpRequest, reference: str) -> Any:
    return _positioning_json(positioning_of(_visible_request(request, reference)))


@router.post(
    OPINIONS,
    response={201: OpinionOut, 200: OpinionOut, 400: ErrorOut, 409: ErrorOut, 422: ErrorOut}
    | NOT_FOUND_OR_NO_TOKEN,
    summary="Give or revise your opinion",
    description=(
        "201 for a first opinion, 200 for a revision. Refused (400) from a member outside the "
        "cell or recused, `take` without a role, `refer` without a partner; 409 once the group "
        "has decided; 422 for a malformed body or an unknown partner code."
    ),
)
def post_opinion(request: HttpRequest, reference: str, payload: OpinionIn) -> Any:
    target = _visible_request(request, reference)
    try:
        opinion = give_opinion(
            target,
            by=_member(request),
            stance=payload.stance,
            role=payload.role,
            partners=_partners(target, payload.partners),
            comment=payload.comment,
        )
    except UnknownPartners as error:
        return _unknown_partners(error)
    except PositioningRefused as refused:
        return _refusal(refused, still_open=_status_of(target) in OPEN_FOR_OPINIONS)
    opinion = (
        Opinion.objects.select_related("author").prefetch_related("partners").get(pk=opinion.pk)
    )
    return Reply(200 if opinion.revisions else 201, _opinion_json(opinion))


# --- Decisions --------------------------------------------------------------------------------


@router.get(
    DECISIONS,
    response={200: list[DecisionOut], **NOT_FOUND_OR_NO_TOKEN},
    summary="The decisions taken on a request, oldest first",
)
def list_decisions(request: HttpRequest, reference: str) -> Any:
    target = _visible_request(request, reference)
    decisions = (
        Decision.objects.filter(request=target)
        .select_related("decided_by", "referral")
        .prefetch_related("referral__partners")
    )
    return [_decision_json(decision) for decision in decisions]


@router.post(
    DECISIONS,
    response={201: DecisionOut, 400: ErrorOut, 403: ErrorOut, 409: ErrorOut, 422: ErrorOut}
    | NOT_FOUND_OR_NO_TOKEN,
    summary="Record the group's decision (coordinators)",
    description=(
        "`accepted` opens the intervention with the members who offered to take it, `referred` "
        "names partners and a message, `declined` closes the request, `needs_info` asks the "
        "library (the rationale is the question). Before the quorum, `override_reason` is "
        "required. 403 for a member who does not coordinate the cell; 409 when the request is "
        "not under review."
    ),
)
def post_decision(request: HttpRequest, reference: str, payload: DecisionIn) -> Any:
    target = _visible_request(request, reference)
    try:
        decision = decide(
            target,
            outcome=payload.outcome,
            by=_member(request),
            rationale=payload.rationale,
            override_reason=payload.override_reason,
            partners=_partners(target, payload.partners),
            message=payload.message,
        )
    except UnknownPartners as error:
        return _unknown_partners(error)
    except PermissionDenied as denied:
        return _error(403, str(denied) or _("You may not do this."))
    except PositioningRefused as refused:
        return _refusal(refused, still_open=_status_of(target) == Status.UNDER_REVIEW)
    decision = (
        Decision.objects.select_related("decided_by", "referral")
        .prefetch_related("referral__partners")
        .get(pk=decision.pk)
    )
    return Reply(201, _decision_json(decision))


# --- Suggestions ------------------------------------------------------------------------------


@router.get(
    SUGGESTIONS,
    response={200: SuggestionsOut, **NOT_FOUND_OR_NO_TOKEN},
    summary="Members, partners and similar past requests that fit, best first",
    description="The same JSON as `g2id suggest <reference> --json`.",
)
def get_suggestions(request: HttpRequest, reference: str) -> Any:
    # Kept per member with the check that they may see the request (which runs before the
    # answer is first kept); the token is checked on every call.
    return remembered_for_member(
        _member(request),
        f"suggestions {reference}",
        lambda: suggestions_of(_visible_request(request, reference, related=())).as_json(),
    )


# --- The error shape for a wrong method -------------------------------------------------------
OTHER_METHODS = ["PUT", "PATCH", "DELETE"]


def _not_allowed(allowed: str) -> HttpResponse:
    response = JsonResponse(
        {"detail": _("This method is not allowed here."), "errors": []}, status=405
    )
    response["Allow"] = allowed
    return response


@router.api_operation(OTHER_METHODS, OPINIONS, include_in_schema=False, auth=None)
def opinions_other_methods(request: HttpRequest, reference: str) -> HttpResponse:
    return _not_allowed("GET, POST")


@router.api_operation(OTHER_METHODS, DECISIONS, include_in_schema=False, auth=None)
def decisions_other_methods(request: HttpRequest, reference: str) -> HttpResponse:
    return _not_allowed("GET, POST")


@router.api_operation([*OTHER_METHODS, "POST"], SUGGESTIONS, include_in_schema=False, auth=None)
def suggestions_other_methods(request: HttpRequest, reference: str) -> HttpResponse:
    return _not_allowed("GET")
