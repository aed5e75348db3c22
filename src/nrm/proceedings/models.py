"""Criminal proceedings, interviews of victims and protection measures (Art. 10-20).

A proceeding concerns one or more victims (their cases); its suspects and defendants are
persons whose identities are encrypted like victims'. Interviews and proceedings are the
source of the law's `case.proceedings` and `case.interviews` facts (nrm.proceedings.facts).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from nrm.crypto.fields import EncryptedDateField, EncryptedTextField


class MeasureKind(models.TextChoices):
    NO_VISUAL_CONTACT = "no_visual_contact", _("No visual contact with the defendant (15.3)")
    VIDEO_LINK = "video_link", _("Testimony by video link (15.3, 16.3)")
    CLOSED_HEARING = "closed_hearing", _("Hearing closed to the public (15.3, 18.4)")
    WITNESS_PROTECTION = "witness_protection", _("Witness protection (19.3)")
    RELOCATION = "relocation", _("Relocation (19)")
    IDENTITY_CHANGE = "identity_change", _("Change of identity on a court decision (18.5)")
    # Kinds recorded before the law's list above was built; kept so no record loses its kind.
    ANONYMITY = "anonymity", _("Anonymity in proceedings")
    RESTRAINING_ORDER = "restraining_order", _("Restraining order")
    POLICE_SECURITY = "police_security", _("Police security at the shelter")


class MeasureArticle(models.TextChoices):
    ART_15_3 = "15.3", _("Art. 15.3: protection in criminal proceedings")
    ART_16_3 = "16.3", _("Art. 16.3: protection of a child in proceedings")
    ART_18_4 = "18.4", _("Art. 18.4: privacy and identity in proceedings")
    ART_18_5 = "18.5", _("Art. 18.5: change of identity")
    ART_18_6 = "18.6", _("Art. 18.6: protection of identity")
    ART_19 = "19", _("Art. 19: witness protection")


class ProtectionMeasure(models.Model):
    """A state protection measure: its existence and details are never disclosed (18.4, 18.6)."""

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="protection_measures")
    kind = models.CharField(max_length=30, choices=MeasureKind.choices)
    ordered_on = models.DateField()  # in force from this day
    ordered_by = models.ForeignKey(
        "authorities.Institution", on_delete=models.PROTECT, related_name="+"
    )
    details = EncryptedTextField(_("details"))
    ended_on = models.DateField(null=True, blank=True)  # in force until this day
    article = models.CharField(max_length=5, choices=MeasureArticle.choices, blank=True)
    # The court's decision a change of identity rests on (18.5); plain: a docket number.
    decision_reference = models.CharField(max_length=60, blank=True)
    proceeding = models.ForeignKey("Proceeding", on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="measures")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    null=True, blank=True, related_name="+")
    version = models.PositiveIntegerField(default=1)

    def __str__(self) -> str:
        return f"measure #{self.pk}"


class Stage(models.TextChoices):
    INVESTIGATION = "investigation", _("Investigation")
    PROSECUTION = "prosecution", _("Prosecution (indictment filed)")
    TRIAL = "trial", _("Trial")
    CONCLUDED = "concluded", _("Concluded")


STAGE_ORDER = {Stage.INVESTIGATION: 1, Stage.PROSECUTION: 2, Stage.TRIAL: 3, Stage.CONCLUDED: 4}


class Outcome(models.TextChoices):
    CONVICTION = "conviction", _("Conviction")
    ACQUITTAL = "acquittal", _("Acquittal")
    DISMISSED = "dismissed", _("Indictment dismissed")
    DISCONTINUED = "discontinued", _("Investigation discontinued")


class Proceeding(models.Model):
    """A criminal proceeding for trafficking or a related offence (10, 11, 14, 17)."""

    court_file_number = models.CharField(max_length=60)
    institution = models.ForeignKey("authorities.Institution", on_delete=models.PROTECT,
                                    related_name="+")  # the prosecution office leading it
    stage = models.CharField(max_length=15, choices=Stage.choices, default=Stage.INVESTIGATION)
    investigation_on = models.DateField()
    prosecution_on = models.DateField(null=True, blank=True)
    trial_on = models.DateField(null=True, blank=True)
    concluded_on = models.DateField(null=True, blank=True)
    outcome = models.CharField(max_length=15, choices=Outcome.choices, blank=True)
    # Related offences by the Criminal Code's article (10.1-10.2), joinder (10.3-10.6) and a
    # joint investigative team with other states (11.2).
    related_offences = models.JSONField(default=list, blank=True)
    joined_into = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="joined")
    separated_from = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True,
                                       related_name="separated")
    joint_team_states = models.JSONField(default=list, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"proceeding #{self.pk}"


class ProceedingVictim(models.Model):
    """A victim the proceeding concerns: their case. A withdrawn statement never ends the
    proceeding (11.4): it is recorded here and the law engine owes the duty to continue."""

    proceeding = models.ForeignKey(Proceeding, on_delete=models.PROTECT, related_name="victims")
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="+")
    statement_withdrawn_on = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["proceeding", "case"], name="proceeding_victim_once")]

    def __str__(self) -> str:
        return f"victim of proceeding #{self.proceeding_id}"


class PersonKind(models.TextChoices):
    NATURAL = "natural", _("Natural person")
    LEGAL = "legal", _("Legal person (Art. 14)")


class DefendantRole(models.TextChoices):
    SUSPECT = "suspect", _("Suspect")
    DEFENDANT = "defendant", _("Defendant")


class Liability(models.TextChoices):
    # 14.1: an offence committed for the legal person's benefit by a responsible person;
    # 14.2: made possible by a lack of supervision or control by a responsible person.
    FOR_BENEFIT = "14.1", _("Committed for its benefit by a responsible person (14.1)")
    LACK_OF_SUPERVISION = "14.2", _("Made possible by a lack of supervision or control (14.2)")


class Custody(models.TextChoices):
    AT_LIBERTY = "at_liberty", _("At liberty")
    DETAINED = "detained", _("Detained")
    RELEASED = "released", _("Released")
    ESCAPED = "escaped", _("Escaped")


class Defendant(models.Model):
    """A suspect or defendant, natural or legal; the identity is encrypted like a victim's."""

    proceeding = models.ForeignKey(Proceeding, on_delete=models.PROTECT, related_name="defendants")
    kind = models.CharField(max_length=10, choices=PersonKind.choices)
    role = models.CharField(max_length=10, choices=DefendantRole.choices, default=DefendantRole.SUSPECT)
    name = EncryptedTextField(_("name"))
    birth_date = EncryptedDateField(_("date of birth"))
    registration_number = EncryptedTextField(_("business registration number"))
    liability = models.CharField(max_length=5, choices=Liability.choices, blank=True)
    custody = models.CharField(max_length=12, choices=Custody.choices, default=Custody.AT_LIBERTY)
    # When the person prosecuted is a presumed or identified victim (their case), the
    # prohibition of 13.1/13.2 was shown; going on needs a recorded ground.
    victim_case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+")
    prohibition_articles = models.JSONField(default=list, blank=True)
    override_ground = EncryptedTextField(_("ground for proceeding despite the prohibition"))
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"defendant #{self.pk}"


class Interview(models.Model):
    """An interview of a victim in the proceedings (15.2, 15.3.1, Art. 16)."""

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="+")
    proceeding = models.ForeignKey(Proceeding, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="interviews")
    held_on = models.DateField()
    interviewer = models.CharField(max_length=200)
    institution = models.ForeignKey("authorities.Institution", on_delete=models.PROTECT, related_name="+")
    premises = models.CharField(max_length=200, blank=True)
    child_appropriate_premises = models.BooleanField(null=True, blank=True)
    recorded_for_trial = models.BooleanField(default=False)  # 15.2: recorded for use at trial
    # 16.1.5: a later interview of a child only for an exceptional and complex investigation;
    # the flag is what the law reads (the sweep never decrypts), the ground why.
    exceptional = models.BooleanField(default=False)
    exceptional_ground = EncryptedTextField(_("exceptional ground"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"interview #{self.pk}"


class AssetAction(models.TextChoices):
    FROZEN = "frozen", _("Frozen")
    SEIZED = "seized", _("Seized")
    CONFISCATED = "confiscated", _("Confiscated")


class Asset(models.Model):
    """Assets frozen, seized or confiscated in the proceeding (11.3), in euros."""

    proceeding = models.ForeignKey(Proceeding, on_delete=models.PROTECT, related_name="assets")
    action = models.CharField(max_length=12, choices=AssetAction.choices)
    amount = models.DecimalField(max_digits=14, decimal_places=2)
    description = EncryptedTextField(_("description"))
    on = models.DateField()  # the day of the action, as recorded: it may be any past day
    # When the asset was entered: the published sums go by its year, which no later entry
    # can back-date (nrm.statistics.dashboard._assets).
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"asset #{self.pk}"


class ClosureDecision(models.TextChoices):
    PENDING = "pending", _("Pending before the judge")
    GRANTED = "granted", _("Closure ordered")
    REFUSED = "refused", _("Refused")


class PremisesClosure(models.Model):
    """A request to close premises or a business, and the judge's decision (Art. 17)."""

    proceeding = models.ForeignKey(Proceeding, on_delete=models.PROTECT, related_name="closures")
    premises = EncryptedTextField(_("premises or business"))
    requested_on = models.DateField()
    decision = models.CharField(max_length=10, choices=ClosureDecision.choices, default=ClosureDecision.PENDING)
    decided_on = models.DateField(null=True, blank=True)

    def __str__(self) -> str:
        return f"closure #{self.pk}"


class NoticeEvent(models.TextChoices):
    # The victim's right to be told (20.2.1, 20.2.12, 20.2.13). The law engine has no code for
    # these events: they are this app's own tracked notices, not duties of the law's contract.
    PROGRESS = "progress", _("Progress of the proceedings (20.2.1)")
    SENTENCING = "sentencing", _("Sentencing session (20.2.12)")
    RELEASE = "release", _("Release of a defendant (20.2.13)")
    ESCAPE = "escape", _("Escape of a defendant (20.2.13)")


NOTICE_ARTICLES = {NoticeEvent.PROGRESS: "20.2.1", NoticeEvent.SENTENCING: "20.2.12",
                   NoticeEvent.RELEASE: "20.2.13", NoticeEvent.ESCAPE: "20.2.13"}


class VictimNotice(models.Model):
    """An event the victim must be told of, owed by an institution by a due date."""

    proceeding = models.ForeignKey(Proceeding, on_delete=models.PROTECT, related_name="notices")
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="+")
    defendant = models.ForeignKey(Defendant, on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="+")
    event = models.CharField(max_length=12, choices=NoticeEvent.choices)
    article = models.CharField(max_length=8)
    event_on = models.DateField()
    due_on = models.DateField()
    institution = models.ForeignKey("authorities.Institution", on_delete=models.PROTECT, related_name="+")
    informed_on = models.DateField(null=True, blank=True)
    information = EncryptedTextField(_("information given"))
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"notice #{self.pk}"
