"""The group positions itself: opinions, recusals, quorum, decisions, referrals."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied

from g2id.interventions.models import Intervention
from g2id.positioning.models import Decision, Opinion, Outcome, Referral, Stance
from g2id.positioning.services import (
    PositioningRefused,
    decide,
    declare_recusal,
    give_opinion,
    positioning_of,
    record_referral_feedback,
)
from g2id.requests.models import Party, Status
from g2id.team.models import Membership
from tests.conftest import run_tasks
from tests.factories import InstitutionFactory, UserFactory, file_request, member_of
from tests.positioning.conftest import partners, person


def test_a_member_gives_then_revises_an_opinion_until_the_decision(under_review):
    anne = person("anne")
    give_opinion(under_review, by=anne, stance=Stance.DECLINE, comment="Pas notre métier")
    opinion = give_opinion(under_review, by=anne, stance=Stance.TAKE, role="lead")

    assert Opinion.objects.filter(request=under_review).count() == 1
    assert (opinion.stance, opinion.role, opinion.revisions) == ("take", "lead", 1)
    assert opinion.revised_at is not None


def test_taking_it_on_needs_a_role_and_referring_needs_a_partner(under_review):
    with pytest.raises(PositioningRefused) as no_role:
        give_opinion(under_review, by=person("anne"), stance=Stance.TAKE)
    with pytest.raises(PositioningRefused) as no_partner:
        give_opinion(under_review, by=person("anne"), stance=Stance.REFER)

    assert (no_role.value.field, no_partner.value.field) == ("role", "partners")
    assert not Opinion.objects.exists()


def test_a_member_of_another_cell_cannot_give_an_opinion(under_review):
    outsider = member_of()  # the national cell, not this one

    with pytest.raises(PositioningRefused, match="Seuls les membres en activité"):
        give_opinion(under_review, by=outsider, stance=Stance.ABSTAIN)


def test_no_opinion_once_the_group_has_decided(under_review):
    for name in ("coord", "anne", "bruno"):
        give_opinion(under_review, by=person(name), stance=Stance.DECLINE)
    decide(under_review, outcome=Outcome.DECLINED, by=person("coord"), rationale="Hors champ.")

    with pytest.raises(PositioningRefused, match="déjà positionné"):
        give_opinion(under_review, by=person("chloe"), stance=Stance.ABSTAIN)


def test_a_member_from_the_requesting_library_is_left_out_automatically(cell):
    home = InstitutionFactory(name="Médiathèque de Vienne", city="Vienne", postcode="38200")
    Membership.objects.filter(cell=cell, person__username="bruno").update(home_institution=home)
    filed = file_request(cell=cell, library=home)
    filed.take_into_review(by=person("coord"))

    group = positioning_of(filed)
    assert group.is_recused(person("bruno"))
    assert group.quorum.voters == 4
    with pytest.raises(PositioningRefused, match="conflit d'intérêts"):
        give_opinion(filed, by=person("bruno"), stance=Stance.TAKE, role="lead")


def test_a_declared_recusal_leaves_the_quorum_and_withdraws_the_opinion(under_review):
    chloe = person("chloe")
    give_opinion(under_review, by=chloe, stance=Stance.TAKE, role="advice")

    declare_recusal(under_review, member=chloe, reason="Ancienne collègue de la directrice.")

    group = positioning_of(under_review)
    assert group.quorum.voters == 4
    assert group.opinion_of(chloe) is None
    assert group.recusal_reason(chloe) == "Ancienne collègue de la directrice."


def test_a_recused_coordinator_cannot_decide(under_review):
    coordinator = person("coord")
    declare_recusal(under_review, member=coordinator, reason="Conflit d'intérêts.")
    for name in ("anne", "bruno", "chloe"):
        give_opinion(under_review, by=person(name), stance=Stance.DECLINE)

    with pytest.raises(PositioningRefused, match="un autre coordinateur"):
        decide(under_review, outcome=Outcome.DECLINED, by=coordinator, rationale="Hors champ.")


def test_the_quorum_is_a_majority_of_the_members_who_may_vote(under_review):
    give_opinion(under_review, by=person("anne"), stance=Stance.ABSTAIN)
    give_opinion(under_review, by=person("bruno"), stance=Stance.TAKE, role="lead")
    assert not positioning_of(under_review).quorum.reached  # 2 of 5: 3 needed

    give_opinion(under_review, by=person("chloe"), stance=Stance.DECLINE)
    quorum = positioning_of(under_review).quorum
    assert (quorum.voters, quorum.given, quorum.needed, quorum.reached) == (5, 3, 3, True)


def test_deciding_before_the_quorum_needs_a_reason_kept_in_the_history(under_review):
    coordinator = person("coord")
    give_opinion(under_review, by=person("anne"), stance=Stance.TAKE, role="lead")

    with pytest.raises(PositioningRefused) as refused:
        decide(under_review, outcome=Outcome.ACCEPTED, by=coordinator, rationale="Urgent.")
    assert refused.value.field == "override_reason"
    assert under_review.status == Status.UNDER_REVIEW

    decision = decide(
        under_review,
        outcome=Outcome.ACCEPTED,
        by=coordinator,
        rationale="Demande simple et urgente.",
        override_reason="Les membres sont en congés ; Anne s'en charge.",
    )
    assert not decision.quorum_reached
    assert decision.event.decision.override_reason.startswith("Les membres sont en congés")


def test_only_a_coordinator_decides(under_review):
    with pytest.raises(PermissionDenied):
        decide(under_review, outcome=Outcome.DECLINED, by=person("anne"), rationale="Non.")


def test_a_decision_needs_a_rationale(under_review):
    with pytest.raises(PositioningRefused) as refused:
        decide(under_review, outcome=Outcome.DECLINED, by=person("coord"), rationale="  ")
    assert refused.value.field == "rationale"
    assert not Decision.objects.exists()


def test_accepting_opens_the_intervention_with_the_members_who_offered(under_review):
    give_opinion(under_review, by=person("anne"), stance=Stance.TAKE, role="contributor")
    give_opinion(under_review, by=person("bruno"), stance=Stance.TAKE, role="lead")
    give_opinion(under_review, by=person("chloe"), stance=Stance.DECLINE)

    decide(under_review, outcome=Outcome.ACCEPTED, by=person("coord"), rationale="On y va.")

    intervention = Intervention.objects.get(request=under_review)
    assert intervention.lead == person("bruno")
    roles = dict(intervention.participations.values_list("person__username", "role"))
    assert roles == {"anne": "contributor", "bruno": "lead"}
    under_review.refresh_from_db()
    assert under_review.status == Status.ACCEPTED


def test_nobody_offering_to_take_it_means_it_cannot_be_accepted(under_review):
    for name in ("anne", "bruno", "chloe"):
        give_opinion(under_review, by=person(name), stance=Stance.ABSTAIN)

    with pytest.raises(PositioningRefused, match="Aucun membre ne s'est proposé"):
        decide(under_review, outcome=Outcome.ACCEPTED, by=person("coord"), rationale="Oui.")
    assert not Intervention.objects.exists()


def test_a_referral_names_partners_and_the_library_reads_them(under_review):
    for name in ("anne", "bruno", "chloe"):
        give_opinion(under_review, by=person(name), stance=Stance.REFER, partners=partners("abes"))
    run_tasks()
    mail.outbox.clear()

    decision = decide(
        under_review,
        outcome=Outcome.REFERRED,
        by=person("coord"),
        rationale="L'Abes est l'interlocuteur naturel pour les RCR.",
        partners=partners("abes", "bnf-abn"),
        message="Écrivez au guichet Abes en citant votre RCR.",
    )
    run_tasks()

    referral = Referral.objects.get(decision=decision)
    assert {p.code for p in referral.partners.all()} == {"abes", "bnf-abn"}
    [sent] = [m for m in mail.outbox if under_review.contact_email in m.to]
    assert "L'Abes est l'interlocuteur naturel" in sent.body
    assert "Écrivez au guichet Abes" in sent.body
    assert "https://abes.fr" in sent.body
    assert under_review.tracking_url in sent.body


def test_a_referral_naming_no_partner_is_refused(under_review):
    with pytest.raises(PositioningRefused) as refused:
        decide(
            under_review,
            outcome=Outcome.REFERRED,
            by=person("coord"),
            rationale="Pas pour nous.",
            message="Voyez ailleurs.",
            override_reason="Évident.",
        )
    assert refused.value.field == "partners"
    assert not Decision.objects.exists()


def test_the_library_says_once_whether_the_referral_helped(under_review):
    decision = decide(
        under_review,
        outcome=Outcome.REFERRED,
        by=person("coord"),
        rationale="Hors champ.",
        override_reason="Évident.",
        partners=partners("abes"),
        message="Contactez l'Abes.",
    )
    referral = record_referral_feedback(decision.referral, helpful=True, comment="Merci !")

    assert (referral.helpful, referral.feedback) == (True, "Merci !")
    with pytest.raises(PositioningRefused, match="déjà indiqué"):
        record_referral_feedback(referral, helpful=False)


def test_needs_info_asks_the_library_and_its_answer_resumes_the_review(under_review):
    from g2id.requests.services import post_message

    decision = decide(
        under_review,
        outcome=Outcome.NEEDS_INFO,
        by=person("coord"),
        rationale="Quelle version de Koha utilisez-vous ?",
        override_reason="Impossible de se prononcer sans la version.",
    )
    under_review.refresh_from_db()
    assert under_review.status == Status.NEEDS_INFO
    assert decision.event.to_status == Status.NEEDS_INFO
    assert under_review.messages.filter(body__contains="Quelle version").exists()

    post_message(request=under_review, body="Koha 23.11", party=Party.LIBRARY)
    under_review.refresh_from_db()
    assert under_review.status == Status.UNDER_REVIEW


def test_members_opinions_are_never_shown_to_the_library(client, under_review):
    give_opinion(
        under_review, by=person("anne"), stance=Stance.DECLINE, comment="Commentaire interne"
    )

    page = client.get(under_review.tracking_path).content.decode()

    assert "Commentaire interne" not in page


def test_two_decisions_cannot_both_land(under_review):
    for name in ("anne", "bruno", "chloe"):
        give_opinion(under_review, by=person(name), stance=Stance.DECLINE)
    decide(under_review, outcome=Outcome.DECLINED, by=person("coord"), rationale="Non.")

    with pytest.raises(PositioningRefused, match="Seule une demande en instruction"):
        decide(under_review, outcome=Outcome.DECLINED, by=person("coord"), rationale="Non.")
    assert Decision.objects.count() == 1


def test_a_former_member_no_longer_counts(cell, under_review):
    import datetime

    from django.utils import timezone

    Membership.objects.filter(person__username="denis").update(
        end_date=timezone.localdate() - datetime.timedelta(days=1)
    )
    assert positioning_of(under_review).quorum.voters == 4
    assert UserFactory(username="denis") not in positioning_of(under_review).voters
