"""Writes: proceedings joined or separated (10.3-10.6); the victims follow, and so does the law."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from nrm.audit.services import record
from nrm.authorities import access
from nrm.authorities.access import Action
from nrm.errors import Invalid
from nrm.proceedings.models import Proceeding, ProceedingVictim
from nrm.proceedings.services import _acting_on, _follow, _text, proceeding_for_change


@transaction.atomic
def proceeding_join(*, actor: Any, proceeding_id: int, into_id: int) -> Proceeding:
    """Join a proceeding into another (10.3-10.6): its victims become the other's."""
    proceeding = proceeding_for_change(actor, proceeding_id)
    target = proceeding_for_change(actor, into_id)
    acting = _acting_on(actor, proceeding)
    if target.pk == proceeding.pk or target.joined_into_id is not None:
        raise Invalid("into", _("join into another proceeding that is not itself joined"))
    proceeding.joined_into = target
    proceeding.version += 1
    proceeding.save(update_fields=["joined_into", "version"])
    have = set(target.victims.values_list("case_id", flat=True))
    ProceedingVictim.objects.bulk_create([
        ProceedingVictim(proceeding=target, case_id=link.case_id,
                         statement_withdrawn_on=link.statement_withdrawn_on)
        for link in proceeding.victims.all() if link.case_id not in have])
    record(actor=actor, action="update", record_type="proceedings.proceeding",
           records=[proceeding, target], fields=["joined_into"], acting=acting)
    _follow(target)
    return proceeding


@transaction.atomic
def proceeding_separate(*, actor: Any, proceeding_id: int, case_ids: list[int],
                        court_file_number: str) -> Proceeding:
    """Separate the proceeding for some of its victims (10.3-10.6): a new proceeding, at the
    same stage, concerns them; the original goes on for the others."""
    proceeding = proceeding_for_change(actor, proceeding_id)
    acting = _acting_on(actor, proceeding)
    links = {link.case_id: link for link in proceeding.victims.filter(
        access.case_condition(actor, Action.VIEW, case_ref="case"))}
    moving = sorted(set(case_ids))
    if not moving or any(case_id not in links for case_id in moving):
        raise Invalid("case_ids", _("name victims of this proceeding"))
    # Counted among the victims the actor may see: whether others remain is not theirs to
    # learn from the answer (a refusal, or a separation that leaves only those).
    if len(links) <= len(moving):
        raise Invalid("case_ids", _("the original proceeding must keep at least one victim"))
    separated = Proceeding.objects.create(
        court_file_number=_text("court_file_number", court_file_number, required=True, limit=60),
        institution_id=proceeding.institution_id, stage=proceeding.stage,
        investigation_on=proceeding.investigation_on, prosecution_on=proceeding.prosecution_on,
        trial_on=proceeding.trial_on, related_offences=proceeding.related_offences,
        joint_team_states=proceeding.joint_team_states, separated_from=proceeding)
    ProceedingVictim.objects.filter(pk__in=[links[c].pk for c in moving]).update(proceeding=separated)
    proceeding.version += 1
    proceeding.save(update_fields=["version"])
    record(actor=actor, action="create", record_type="proceedings.proceeding",
           records=[separated, proceeding], fields=["separated_from", "victims"], acting=acting,
           detail={"cases": moving})
    _follow(separated)
    return separated
