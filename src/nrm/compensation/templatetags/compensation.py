"""The case page's view of its compensation claims, for the case team."""

from __future__ import annotations

from typing import Any

from django import template

from nrm.authorities import access
from nrm.authorities.access import Action, Kind
from nrm.cases.models import Case
from nrm.compensation import selectors

register = template.Library()


@register.inclusion_tag("compensation/_case.html", takes_context=True)
def case_compensation(context: dict[str, Any], case: Case) -> dict[str, Any]:
    """The claims and their decisions, for the case team on the case page: no personal
    text of the claim is shown there, so none is audited as read."""
    user = context["request"].user
    may_file = Case.objects.filter(
        access.case_condition(user, Action.CHANGE, Kind.COMPENSATION_CLAIM), pk=case.pk).exists()
    return {"case": case, "claims": selectors.case_claims(user=user, case=case, personal_shown=False, purpose="case page"), "may_file": may_file}
