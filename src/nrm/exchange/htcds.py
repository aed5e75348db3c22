"""Where each HTCDS 2.0 field comes from in NRM: the mapping as a table, and the row writer.

FIELDS is the mapping (MAPPING.md is its reading copy; a test keeps the two equal). Each
field says its HTCDS type, its NRM source, whether it identifies the person (written only
with identity, Art. 18), and, for fields NRM's case model does not hold yet, where an
imported value is kept (HtcdsFields.values, or HtcdsFields.text encrypted when it is free
text or names a person). Fields NRM does not hold are written empty, never guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from nrm.cases.models import Stage
from nrm.exchange import picklists as P
from nrm.law.codes import COUNTRIES


@dataclass(frozen=True)
class Field:
    name: str
    type: str  # text, date, picklist, multi, checkbox, json
    source: str
    notes: str = ""
    picklist: tuple[str, ...] = ()
    identity: bool = False  # identifies the person: only with identity (Art. 18, 35.1.5)
    kept: str = ""  # "values" or "text": an imported value kept in HtcdsFields
    core: bool = True  # an HTCDS core field; False for non-core and NRM extensions


STAGES = tuple(Stage.values)

FIELDS: tuple[Field, ...] = (
    Field("cas_CaseNumber", "text", "Case.reference",
          "Salesforce's standard Case number; HTCDS names no identifier. On import, the "
          "sender's number; NRM gives the case its own reference.", core=False),
    Field("vic_TraffickingStatus", "picklist", "Case.stage",
          "screening, presumed_victim: Possible; identified, assisted, reintegrated, returned: "
          "Actual; declined: NotA; closed: Actual if case.identified_on, else Possible. "
          "Import: Possible→presumed_victim, Actual→identified, NotA→declined.",
          P.TRAFFICKING_STATUS),
    Field("vic_TraffickingStatusDecisionMakingOrg", "picklist", "kept from import",
          picklist=P.DECISION_MAKING_ORG, kept="values"),
    Field("prs_Salutation", "text", "kept from import", identity=True, kept="text"),
    Field("prs_FirstName", "text", "Person.given_name", identity=True),
    Field("prs_SecondName", "text", "Person.family_name", identity=True),
    Field("prs_Birthdate", "date", "Person.birth_date", "ISO 8601, not in the future",
          identity=True),
    Field("prs_Gender", "picklist", "Person.sex",
          "female↔Feminine, male↔Masculine, other→NonConforming, unknown↔NonSpecifiedUnknown; "
          "the transgender and non-conforming values import as other.", P.GENDER),
    Field("prs_Citizenship", "multi", "Person.citizenship",
          "ISO 3166 alpha-2 with XK for Kosovo (a user-assigned code, stated here for "
          "receivers); NRM holds one citizenship, so an import with two is refused.",
          tuple(sorted(COUNTRIES))),
    Field("prs_IdentityNumber", "text", "Person.document_number", identity=True, core=False),
    Field("prs_Title", "text", "kept from import",
          "A position in an organisation; kept as given.", identity=True, kept="text"),
    Field("prs_Email", "text", "Person.contact", "when the contact is an e-mail address",
          identity=True),
    Field("prs_HomePhone", "text", "Person.contact", "import only: becomes the contact",
          identity=True),
    Field("prs_MobilePhone", "text", "Person.contact", "when the contact is an E.164 number",
          identity=True),
    Field("prs_MailingStreet", "text", "Person.address", identity=True),
    Field("prs_MailingCity", "text", "Person.address",
          "import: joined into the address after the street", identity=True),
    Field("prs_MailingState", "text", "Person.address", "as city", identity=True),
    Field("prs_MailingPostalCode", "text", "Person.address", "as city", identity=True),
    Field("prs_MailingCountry", "text", "Person.address", "as city; ISO 3166 alpha-2",
          identity=True),
    Field("vic_MethodOfRecruitment", "multi", "kept from import",
          picklist=P.METHOD_OF_RECRUITMENT, kept="values"),
    Field("vic_LocationOfRecruitment", "text", "kept from import",
          "free text (a place may point to a person): encrypted, written only with identity",
          identity=True, kept="text"),
    Field("vic_MethodsOfControl", "multi", "kept from import",
          picklist=P.METHODS_OF_CONTROL, kept="values"),
    Field("vic_TypeOfExploitation", "multi", "Case.facts.exploitation",
          "see EXPLOITATION_OUT and EXPLOITATION_IN", P.TYPE_OF_EXPLOITATION),
    Field("vic_ForcedLabourIndustry", "picklist", "kept from import",
          "ISIC v4 tier 1", P.FORCED_LABOUR_INDUSTRY, kept="values"),
    Field("vic_TypeOfSexExploitation", "multi", "Case.facts.exploitation",
          "pornography→Pornography, with any values kept from import",
          P.TYPE_OF_SEX_EXPLOITATION, kept="values"),
    Field("vic_LocationOfExploitation", "text", "kept from import",
          "free text (a place may point to a person): encrypted, written only with identity",
          identity=True, kept="text"),
    Field("cas_Status", "picklist", "Case.stage, Case.merged_into",
          "closed, declined or merged: Closed; reintegrated, returned: FollowUp; else Active",
          P.CASE_STATUS),
    Field("cas_ReasonForCaseClosure", "text", "kept from import",
          "free text may name people: encrypted, written only with identity",
          identity=True, kept="text"),
    Field("cas_CaseOwner", "text", "kept from import", "an official's name", identity=True,
          kept="text"),
    Field("cas_ReferringOrganisation", "text", "Case.registered_by.name",
          "or, with identity, the free text kept from import (encrypted)", kept="text"),
    Field("cas_IncomingReferralDate", "date", "kept from import", "ISO 8601, not in the future",
          kept="values"),
    Field("cas_ReferringPrimaryCaseWorker", "text", "kept from import", "an official's name",
          identity=True, kept="text"),
    Field("cas_ReasonForIncomingReferral", "picklist", "kept from import",
          picklist=P.REASON_FOR_REFERRAL, kept="values"),
    Field("cas_IncomingReferralDetails", "text", "kept from import", "free text",
          identity=True, kept="text"),
    Field("cas_ReferredOrganisation", "text", "kept from import",
          "free text: encrypted, written only with identity; nrm.referrals will fill it",
          identity=True, kept="text"),
    Field("cas_ReferredPrimaryCaseWorker", "text", "kept from import", "an official's name",
          identity=True, kept="text"),
    Field("cas_ReasonForOutgoingReferral", "picklist", "kept from import",
          picklist=P.REASON_FOR_REFERRAL, kept="values"),
    Field("cas_OutgoingReferralDate", "date", "kept from import", "ISO 8601, not in the future",
          kept="values"),
    Field("cas_OutgoingReferralDetails", "text", "kept from import", "free text",
          identity=True, kept="text"),
    Field("con_Consent", "checkbox", "kept from import",
          "consent to the interview and the data's use (Art. 18); NRM's consent records "
          "will fill it", kept="values"),
    Field("nrm_Stage", "picklist", "Case.stage",
          "NRM extension: the exact stage, which must agree with vic_TraffickingStatus",
          STAGES, core=False),
    Field("nrm_Child", "checkbox", "Case.child",
          "NRM extension; on import, when empty, a birth date under 18 years or "
          "believed_under_18 makes the case a child's (Art. 36)", core=False),
    Field("nrm_Demo", "checkbox", "Case.demo", "NRM extension: demo and training cases",
          core=False),
    Field("nrm_Merged", "checkbox", "Case.merged_into", "NRM extension; export only",
          core=False),
    Field("nrm_Contact", "text", "Person.contact",
          "NRM extension: a contact that is neither an e-mail nor an E.164 number",
          identity=True, core=False),
    Field("nrm_PersonFacts", "json", "Person.facts",
          "NRM extension: the law contract's other person facts", core=False),
    Field("nrm_CaseFacts", "json", "Case.facts",
          "NRM extension: the law contract's case facts", core=False),
)

BY_NAME = {field.name: field for field in FIELDS}
IDENTITY_COLUMNS = frozenset(f.name for f in FIELDS if f.identity)
# The standard marks these core fields deprecated in favour of assessment sections.
DEPRECATED = ("vic_Vulnerabilities", "vic_DetailsOfVulnerabilities")

# 3.1.8 exploitation codes → HTCDS. HTCDS has no slavery: servitude is its nearest value.
EXPLOITATION_OUT: dict[str, str] = {
    "sexual": "SexualExploitation", "pornography": "SexualExploitation",
    "begging": "ForcedBegging", "forced_labour": "ForcedLabour", "slavery": "Servitude",
    "servitude": "Servitude", "organ_removal": "OrganRemoval",
    "forced_marriage": "ForcedMarriage", "illegal_adoption": "ForcedAdoption", "other": "Other",
}
# HTCDS → 3.1.8. Child labour is forced labour of a child; military and surrogacy are "other".
EXPLOITATION_IN: dict[str, str] = {
    "ForcedLabour": "forced_labour", "SexualExploitation": "sexual",
    "ChildLabour": "forced_labour", "ForcedMarriage": "forced_marriage",
    "Servitude": "servitude", "ForcedMilitaryByNonStateActors": "other",
    "OrganRemoval": "organ_removal", "ForcedBegging": "begging",
    "ForcedAdoption": "illegal_adoption", "Surrogacy": "other", "Other": "other",
}
SEX_OUT = {"female": "Feminine", "male": "Masculine", "other": "NonConforming",
           "unknown": "NonSpecifiedUnknown"}
SEX_IN = {"Feminine": "female", "Masculine": "male", "TransgenderFeminine": "other",
          "TransgenderMasculine": "other", "NonConforming": "other",
          "NonSpecifiedUnknown": "unknown"}
STATUS_OF_STAGE = {
    "screening": "PossibleVictimOfTrafficking", "presumed_victim": "PossibleVictimOfTrafficking",
    "identified": "ActualVictimOfTrafficking", "assisted": "ActualVictimOfTrafficking",
    "reintegrated": "ActualVictimOfTrafficking", "returned": "ActualVictimOfTrafficking",
    "declined": "NotAVictimOfTrafficking",
}
STAGE_OF_STATUS = {"PossibleVictimOfTrafficking": "presumed_victim",
                   "ActualVictimOfTrafficking": "identified",
                   "NotAVictimOfTrafficking": "declined"}
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
E164 = re.compile(r"^\+?[1-9]\d{1,14}$")  # the standard's own expression


def trafficking_status(stage: str, case_facts: dict[str, Any]) -> str:
    """Possible until official identification (Art. 12); a closed case keeps what it was."""
    if stage in STATUS_OF_STAGE:
        return STATUS_OF_STAGE[stage]
    if case_facts.get("identified_on"):
        return "ActualVictimOfTrafficking"
    return "PossibleVictimOfTrafficking"


def case_status(stage: str, merged: bool) -> str:
    if merged or stage in {"closed", "declined"}:
        return "Closed"
    if stage in {"reintegrated", "returned"}:
        return "FollowUp"
    return "Active"


def exploitation_out(codes: list[str]) -> tuple[list[str], list[str]]:
    """(vic_TypeOfExploitation, vic_TypeOfSexExploitation) for the contract's codes."""
    types = {EXPLOITATION_OUT[c] for c in codes if c in EXPLOITATION_OUT}
    sex = {"Pornography"} if "pornography" in codes else set()
    return in_order(types, P.TYPE_OF_EXPLOITATION), in_order(sex, P.TYPE_OF_SEX_EXPLOITATION)


def exploitation_in(types: list[str], sex_types: list[str]) -> list[str]:
    codes = {EXPLOITATION_IN[t] for t in types}
    if "Pornography" in sex_types:
        codes.add("pornography")
        if not set(sex_types) - {"Pornography"}:
            codes.discard("sexual")
    return sorted(codes)


def in_order(values: set[str], picklist: tuple[str, ...]) -> list[str]:
    return [value for value in picklist if value in values]


def contact_out(contact: str | None) -> dict[str, str]:
    if not contact:
        return {}
    if EMAIL.match(contact):
        return {"prs_Email": contact}
    if E164.match(contact):
        return {"prs_MobilePhone": contact}
    return {"nrm_Contact": contact}


def empty(field: Field) -> Any:
    return {"multi": [], "checkbox": None, "json": None}.get(field.type, "")


def export_row(case: Any, *, identity: dict[str, Any] | None,
               kept_values: dict[str, Any], kept_text: dict[str, Any]) -> dict[str, Any]:
    """One case as an HTCDS row. `identity` is None unless it may be written (Art. 18)."""
    person = case.person
    types, sex_types = exploitation_out(list(case.facts.get("exploitation") or []))
    row: dict[str, Any] = {field.name: empty(field) for field in FIELDS}
    row.update({name: value for name, value in kept_values.items() if name in row})
    row.update({
        "cas_CaseNumber": case.reference,
        "vic_TraffickingStatus": trafficking_status(case.stage, case.facts),
        "prs_Gender": SEX_OUT.get(person.sex, "NonSpecifiedUnknown"),
        "prs_Citizenship": [person.citizenship] if person.citizenship else [],
        "vic_TypeOfExploitation": types,
        "vic_TypeOfSexExploitation": in_order(
            set(sex_types) | set(kept_values.get("vic_TypeOfSexExploitation", [])),
            P.TYPE_OF_SEX_EXPLOITATION),
        "cas_Status": case_status(case.stage, case.merged_into_id is not None),
        "cas_ReferringOrganisation": case.registered_by.name,
        "nrm_Stage": case.stage,
        "nrm_Child": case.child,
        "nrm_Demo": case.demo,
        "nrm_Merged": case.merged_into_id is not None,
        "nrm_PersonFacts": dict(person.facts),
        "nrm_CaseFacts": dict(case.facts),
    })
    if identity is not None:
        birth = identity.get("birth_date")
        row.update({name: value for name, value in kept_text.items() if name in row})
        row.update({
            "prs_FirstName": identity.get("given_name") or "",
            "prs_SecondName": identity.get("family_name") or "",
            "prs_Birthdate": birth.isoformat() if birth else "",
            "prs_IdentityNumber": identity.get("document_number") or "",
            "prs_MailingStreet": identity.get("address") or "",
            **contact_out(identity.get("contact")),
        })
    return row
