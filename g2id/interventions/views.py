"""The team's intervention pages and the library's survey and impact-check pages."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Min, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from g2id.interventions import services
from g2id.interventions.forms import (
    DeliverForm,
    ImpactCheckForm,
    PlanForm,
    ReasonForm,
    SessionForm,
    SurveyForm,
    TaskForm,
    TransferRecordForm,
)
from g2id.interventions.models import ImpactCheck, Intervention, Session, Survey, TransferRecord
from g2id.lib.http import TeamRequest
from g2id.requests.models import IllegalTransition, Status

# The list's state filter: the intervention's states, in their order.
LIST_STATES = services.STATES
MINE, CELLS = "mine", "cells"


def intervention_for(user: Any, reference: str) -> Intervention:
    """The intervention of this request if the user's cells serve it; 404 otherwise."""
    return get_object_or_404(
        Intervention.objects.visible_to(user).select_related(
            "request__cell", "request__institution", "lead"
        ),
        request__reference=reference,
    )


@login_required
@require_GET
def intervention_list(request: TeamRequest) -> HttpResponse:
    view = CELLS if request.GET.get("vue") == CELLS else MINE
    state = request.GET.get("etat", "")
    interventions = Intervention.objects.visible_to(request.user).filter(
        request__status__in=LIST_STATES
    )
    if view == MINE:
        mine = Q(participations__person=request.user) | Q(lead=request.user)
        interventions = interventions.filter(pk__in=Intervention.objects.filter(mine).values("pk"))
    if state in LIST_STATES:
        interventions = interventions.filter(request__status=state)
    rows = (
        interventions.select_related("request__institution", "request__cell", "lead")
        .annotate(
            next_session=Min("sessions__date", filter=Q(sessions__date__gte=timezone.localdate()))
        )
        .order_by("request__status", "planned_start", "-created_at")
    )
    by_state: dict[str, list[Intervention]] = {code: [] for code in LIST_STATES}
    for row in rows:
        by_state[row.request.status].append(row)
    return render(
        request,
        "interventions/list.html",
        {
            "view": view,
            "state": state,
            "states": [(code, Status(code).label) for code in LIST_STATES],
            "groups": [
                (code, Status(code).label, by_state[code]) for code in LIST_STATES if by_state[code]
            ],
        },
    )


@login_required
@require_GET
def intervention_detail(request: TeamRequest, reference: str) -> HttpResponse:
    return render_detail(request, intervention_for(request.user, reference))


def render_detail(
    request: TeamRequest,
    intervention: Intervention,
    *,
    forms: dict[str, Any] | None = None,
    status: int = 200,
) -> HttpResponse:
    """The team page; a posted form with errors replaces its blank copy."""
    filed = intervention.request
    forms = forms or {}
    record = TransferRecord.objects.filter(intervention=intervention).first()
    state = filed.status
    may_act = services.may_act(intervention, request.user)
    working = state in services.WORKING_STATES
    return render(
        request,
        "interventions/detail.html",
        {
            "intervention": intervention,
            "filed": filed,
            "may_act": may_act,
            "working": working,
            "participations": intervention.participations.select_related("person"),
            "sessions": intervention.sessions.all(),
            "tasks": intervention.tasks.select_related("done_by"),
            "deliverables": intervention.deliverables.all(),
            "record": record,
            "survey": Survey.objects.filter(intervention=intervention).first(),
            "impact_check": ImpactCheck.objects.filter(intervention=intervention).first(),
            "events": filed.events.select_related("actor_user", "decision__referral").filter(
                to_status__in=LIST_STATES
            ),
            "may_plan": state == Status.ACCEPTED,
            "may_start": state == Status.PLANNED,
            "may_deliver": state == Status.IN_PROGRESS,
            "may_close": state == Status.DELIVERED,
            "plan_form": forms.get("plan") or PlanForm(instance=intervention),
            "session_form": forms.get("session") or SessionForm(),
            "task_form": forms.get("task") or TaskForm(),
            "deliver_form": forms.get("deliver") or DeliverForm(),
            "close_form": forms.get("close") or ReasonForm(),
            "record_form": forms.get("record") or TransferRecordForm(instance=record),
        },
        status=status,
    )


def _form_errors(form: Any, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            for problem in errors:
                form.add_error(field if field in form.fields else None, problem)
    else:
        for text in error.messages:
            form.add_error(None, text)


@login_required
@require_POST
def change_state(request: TeamRequest, reference: str, action: str) -> HttpResponse:
    intervention = intervention_for(request.user, reference)
    services.ensure_may_act(intervention, request.user)
    form: DeliverForm | ReasonForm | None = None
    try:
        if action == "plan":
            services.plan(intervention, by=request.user)
        elif action == "start":
            services.start(intervention, by=request.user)
        elif action == "deliver":
            form = DeliverForm(request.POST)
            form.is_valid()
            services.deliver(intervention, by=request.user, reason=form.cleaned_data["reason"])
        elif action == "close":
            form = ReasonForm(request.POST)
            form.is_valid()
            services.close(intervention, by=request.user, reason=form.cleaned_data["reason"])
        else:
            raise Http404
    except IllegalTransition as error:
        messages.error(request, str(error))
    except ValidationError as error:
        assert form is not None
        _form_errors(form, error)
        return render_detail(request, intervention, forms={action: form}, status=400)
    else:
        messages.success(
            request,
            _("The intervention is now “%(state)s”.")
            % {"state": intervention.request.get_status_display()},
        )
    return redirect(intervention)


@login_required
@require_POST
def edit_plan(request: TeamRequest, reference: str) -> HttpResponse:
    intervention = intervention_for(request.user, reference)
    services.ensure_may_act(intervention, request.user)
    form = PlanForm(request.POST, instance=Intervention.objects.get(pk=intervention.pk))
    if form.is_valid():
        try:
            services.set_plan(intervention, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("The plan has been saved."))
            return redirect(intervention)
    return render_detail(request, intervention, forms={"plan": form}, status=400)


@login_required
@require_http_methods(["GET", "POST"])
def edit_session(
    request: TeamRequest, reference: str, session_id: int | None = None
) -> HttpResponse:
    """Add a session (POST on the page's form) or change one (its own small page)."""
    intervention = intervention_for(request.user, reference)
    services.ensure_may_act(intervention, request.user)
    session = (
        get_object_or_404(intervention.sessions, pk=session_id)
        if session_id
        else Session(intervention=intervention)
    )
    form = SessionForm(request.POST or None, instance=session)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_session(form.instance, by=request.user)
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("The session is saved and in the members' agendas."))
            return redirect(intervention.get_absolute_url() + "#sessions")
    status = 400 if request.method == "POST" else 200
    if session_id is None:
        if request.method == "GET":
            return redirect(intervention.get_absolute_url() + "#sessions")
        return render_detail(request, intervention, forms={"session": form}, status=status)
    return render(
        request,
        "interventions/session_form.html",
        {"intervention": intervention, "filed": intervention.request, "form": form},
        status=status,
    )


@login_required
@require_POST
def delete_session(request: TeamRequest, reference: str, session_id: int) -> HttpResponse:
    intervention = intervention_for(request.user, reference)
    session = get_object_or_404(intervention.sessions, pk=session_id)
    try:
        services.delete_session(session, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The session has been removed from the members' agendas."))
    return redirect(intervention.get_absolute_url() + "#sessions")


@login_required
@require_POST
def add_task(request: TeamRequest, reference: str) -> HttpResponse:
    intervention = intervention_for(request.user, reference)
    form = TaskForm(request.POST)
    if form.is_valid():
        try:
            services.add_task(intervention, by=request.user, title=form.cleaned_data["title"])
        except ValidationError as error:
            _form_errors(form, error)
        else:
            return redirect(intervention.get_absolute_url() + "#checklist")
    return render_detail(request, intervention, forms={"task": form}, status=400)


@login_required
@require_POST
def update_task(request: TeamRequest, reference: str, task_id: int) -> HttpResponse:
    intervention = intervention_for(request.user, reference)
    task = get_object_or_404(intervention.tasks, pk=task_id)
    try:
        if request.POST.get("action") == "delete":
            services.delete_task(task, by=request.user)
        else:
            services.set_task_done(task, by=request.user, done=request.POST.get("done") == "1")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(intervention.get_absolute_url() + "#checklist")


@login_required
@require_POST
def edit_transfer_record(request: TeamRequest, reference: str) -> HttpResponse:
    intervention = intervention_for(request.user, reference)
    services.ensure_may_act(intervention, request.user)
    record = TransferRecord.objects.filter(intervention=intervention).first()
    form = TransferRecordForm(
        request.POST, instance=record or TransferRecord(intervention=intervention)
    )
    if form.is_valid():
        try:
            services.save_transfer_record(form.instance, by=request.user)
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("The transfer record has been saved."))
            return redirect(intervention.get_absolute_url() + "#transfer")
    return render_detail(request, intervention, forms={"record": form}, status=400)


# --- The library's pages, opened by a private link ---------------------------------------


def _link_page(
    request: HttpRequest,
    link: Survey | ImpactCheck | None,
    *,
    form_class: type[SurveyForm] | type[ImpactCheckForm],
    template: str,
) -> HttpResponse:
    if link is None:
        raise Http404
    context: dict[str, Any] = {"link": link, "filed": link.intervention.request}
    now = timezone.now()
    closed = services.closed_reason(link, now)
    if closed:
        context["closed_message"] = closed
        return render(request, template, context, status=410)
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            if isinstance(link, Survey):
                services.answer_survey(link, answers=form.cleaned_data, now=now)
            else:
                services.answer_impact_check(link, now=now, **form.cleaned_data)
        except services.LinkClosed as error:
            context["closed_message"] = str(error)
            return render(request, template, context, status=410)
        context["thanks"] = True
        return render(request, template, context)
    context["form"] = form
    return render(request, template, context, status=400 if request.method == "POST" else 200)


@require_http_methods(["GET", "POST"])
def survey(request: HttpRequest, token: str) -> HttpResponse:
    return _link_page(
        request,
        Survey.objects.by_token(token),
        form_class=SurveyForm,
        template="interventions/survey.html",
    )


@require_http_methods(["GET", "POST"])
def impact_check(request: HttpRequest, token: str) -> HttpResponse:
    return _link_page(
        request,
        ImpactCheck.objects.by_token(token),
        form_class=ImpactCheckForm,
        template="interventions/impact_check.html",
    )
