"""The roles a person holds in an institution, and the kinds of institution."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    POLICE_INVESTIGATOR = "police_investigator", _("Police investigator")
    PROSECUTOR = "prosecutor", _("Prosecutor")
    JUDGE = "judge", _("Judge")
    VICTIM_ADVOCATE = "victim_advocate", _("Victim advocate")
    SOCIAL_WORKER = "social_worker", _("Social worker")
    SHELTER_STAFF = "shelter_staff", _("Shelter staff")
    HEALTH_WORKER = "health_worker", _("Health worker")
    LABOUR_INSPECTOR = "labour_inspector", _("Labour inspector")
    FOREIGNERS_OFFICER = "foreigners_officer", _("Foreigners officer")
    CONSULAR_OFFICER = "consular_officer", _("Consular officer")
    COMMISSION_MEMBER = "commission_member", _("Compensation Commission member")
    NATIONAL_COORDINATOR = "national_coordinator", _("National Anti-Trafficking Coordinator")
    SECRETARIAT_ANALYST = "secretariat_analyst", _("Secretariat analyst")
    AUDITOR = "auditor", _("Auditor")
    SYSTEM_ADMIN = "system_admin", _("System administrator")


class InstitutionKind(models.TextChoices):
    AUTHORITY = "authority", _("Competent authority (Art. 6)")
    SOCIAL_WORK_CENTRE = "social_work_centre", _("Centre for social work")
    LICENSED_NGO = "licensed_ngo", _("Licensed non-governmental organisation (Art. 33)")
    STATE_SHELTER = "state_shelter", _("State shelter or centre")
    CONSULAR_MISSION = "consular_mission", _("Consular mission (Art. 32)")
    COMPENSATION_COMMISSION = "compensation_commission", _("Compensation Commission (Art. 40)")
    COORDINATION = "coordination", _("National Coordinator and Secretariat (Art. 7, 8)")
