"""Writes: assets frozen, seized and confiscated (11.3) and the closure of premises (Art. 17)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from nrm.audit.services import record
from nrm.authorities import access
from nrm.authorities.roles import Role
from nrm.errors import Conflict, Invalid, NotAllowed, NotFound
from nrm.proceedings.models import Asset, AssetAction, ClosureDecision, PremisesClosure
from nrm.proceedings.services import _acting_on, _not_future, _text, proceeding_for_change


@transaction.atomic
def asset_record(*, actor: Any, proceeding_id: int, action: str, amount: Decimal, on: dt.date,
                 description: str = "") -> Asset:
    """Assets frozen, seized or confiscated (11.3), in euros to the cent."""
    proceeding = proceeding_for_change(actor, proceeding_id)
    acting = _acting_on(actor, proceeding)
    if action not in AssetAction.values:
        raise Invalid("action", _("unknown action %(value)s") % {"value": repr(action)})
    if not amount.is_finite() or amount <= 0 or amount.as_tuple().exponent < -2 or amount >= Decimal(10) ** 12:
        raise Invalid("amount", _("an amount in euros above zero, to the cent"))
    _not_future("on", on)
    if on < proceeding.investigation_on:
        raise Invalid("on", _("%(date)s is before the investigation") % {"date": on.isoformat()})
    asset = Asset.objects.create(proceeding=proceeding, action=action, amount=amount, on=on,
                                 description=_text("description", description))
    record(actor=actor, action="create", record_type="proceedings.asset", records=[asset],
           fields=["action", "amount", "on"] + (["description"] if description else []), acting=acting)
    return asset


@transaction.atomic
def closure_request(*, actor: Any, proceeding_id: int, premises: str, requested_on: dt.date) -> PremisesClosure:
    """A request to close premises or a business used for the offence (Art. 17)."""
    proceeding = proceeding_for_change(actor, proceeding_id)
    acting = _acting_on(actor, proceeding)
    _not_future("requested_on", requested_on)
    closure = PremisesClosure.objects.create(
        proceeding=proceeding, premises=_text("premises", premises, required=True, limit=500),
        requested_on=requested_on)
    record(actor=actor, action="create", record_type="proceedings.premisesclosure", records=[closure],
           fields=["premises", "requested_on"], acting=acting)
    return closure


@transaction.atomic
def closure_decide(*, actor: Any, closure_id: int, decision: str, decided_on: dt.date) -> PremisesClosure:
    """The judge's decision on a closure (Art. 17): only a judge decides."""
    closure = PremisesClosure.objects.select_for_update().filter(
        pk=closure_id, proceeding__in=access.proceedings(actor)).first()
    if closure is None:
        raise NotFound(_("closure request %(id)s not found") % {"id": closure_id})
    proceeding = proceeding_for_change(actor, closure.proceeding_id)
    acting = _acting_on(actor, proceeding)
    if acting.role != Role.JUDGE:
        raise NotAllowed(_("only a judge decides on closing premises (Art. 17)"))
    if decision not in (ClosureDecision.GRANTED, ClosureDecision.REFUSED):
        raise Invalid("decision", _("the decision is granted or refused"))
    if closure.decision != ClosureDecision.PENDING:
        raise Conflict(_("the request was decided already"), field="decision")
    _not_future("decided_on", decided_on)
    if decided_on < closure.requested_on:
        raise Invalid("decided_on", _("%(date)s is before the request") % {"date": decided_on.isoformat()})
    closure.decision, closure.decided_on = decision, decided_on
    closure.save(update_fields=["decision", "decided_on"])
    record(actor=actor, action="update", record_type="proceedings.premisesclosure", records=[closure],
           fields=["decision", "decided_on"], acting=acting)
    return closure
