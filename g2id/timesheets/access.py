"""Who may read which secondment statements.

A home institution's referent reads its agents' statements (every cell); a coordinator reads
those of the institutions that second members to the cells they coordinate (those cells
only); operators read them all. Anybody else gets a 404, never a hint that it exists.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from g2id.accounts.models import User
from g2id.institutions.models import Institution
from g2id.team.models import Cell
from g2id.timesheets.models import Referent


def statement_institutions(user: User) -> QuerySet[Institution]:
    """The home institutions whose statements `user` may read."""
    if user.is_superuser:
        return Institution.objects.filter(seconded_memberships__isnull=False).distinct()
    return Institution.objects.filter(
        Q(referents__user=user)
        | Q(seconded_memberships__cell__in=Cell.objects.coordinated_by(user))
    ).distinct()


def statement_scope(user: User, institution_id: int) -> tuple[Institution, QuerySet[Cell] | None]:
    """The institution and the cells whose memberships `user` may see in its statement (None:
    all of them); Http404 when the statement is not theirs to read."""
    institution = Institution.objects.filter(
        pk=institution_id, pk__in=statement_institutions(user).values("pk")
    ).first()
    if institution is None:
        raise Http404
    if user.is_superuser or Referent.objects.filter(user=user, institution=institution).exists():
        return institution, None
    return institution, Cell.objects.coordinated_by(user)
