from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Release(models.Model):
    """Every publication of statistics: what left the system, to whom, how it was protected.

    The hash is of the exact bytes written, so a table found in the wild can be traced to
    the release it came from, and a release's parameters (k, rounding) can be checked.
    """

    released_at = models.DateTimeField(auto_now_add=True)
    released_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT,
                                    related_name="+")
    what = models.CharField(max_length=200, help_text=_("The tables or product released"))
    recipient = models.CharField(max_length=200, help_text=_("To whom it was released"))
    channel = models.CharField(max_length=40, help_text=_("stats table, dashboard, report, ctdc export"))
    source = models.CharField(max_length=20)
    parameters = models.JSONField(default=dict)
    cells = models.PositiveIntegerField(default=0)
    suppressed = models.PositiveIntegerField(default=0)
    output_sha256 = models.CharField(max_length=64)

    class Meta:
        ordering = ["-released_at", "-id"]

    def __str__(self) -> str:
        return f"release {self.pk}: {self.what} to {self.recipient}"


class AnalysisImport(models.Model):
    """One CTDC file loaded into the analysis store. Its records are anonymous, never cases."""

    sha256 = models.CharField(max_length=64, unique=True, help_text=_("Of the file's bytes"))
    name = models.CharField(max_length=255)
    layout = models.CharField(max_length=20)
    imported_at = models.DateTimeField(auto_now_add=True)
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT,
                                    related_name="+")
    rows_read = models.PositiveIntegerField(default=0)
    rows_loaded = models.PositiveIntegerField(default=0)
    rows_rejected = models.PositiveIntegerField(default=0)
    rejections = models.JSONField(default=dict, help_text=_("Reason: number of rows"))

    def __str__(self) -> str:
        return f"{self.name} ({self.layout})"


class AnalysisRecord(models.Model):
    """An anonymous victim record from a CTDC file, in the CTDC's own vocabulary.

    Multi-valued CTDC fields (typeOfExploit) are kept as the one label the CTDC tables
    use, `;`-joined where a record has several, so a table counts each person once.
    """

    batch = models.ForeignKey(AnalysisImport, on_delete=models.CASCADE, related_name="records")
    line = models.PositiveIntegerField()
    year = models.CharField(max_length=12, blank=True)
    gender = models.CharField(max_length=20, blank=True)
    age_broad = models.CharField(max_length=12, blank=True)
    majority = models.CharField(max_length=10, blank=True)
    citizenship = models.CharField(max_length=40, blank=True)
    exploitation_country = models.CharField(max_length=40, blank=True)
    exploit = models.CharField(max_length=60, blank=True)
    extra = models.JSONField(default=dict, blank=True, help_text=_("The layout's other columns"))

    class Meta:
        indexes = [models.Index(fields=["batch", "year"])]

    def __str__(self) -> str:
        return f"record {self.line} of {self.batch_id}"


class Strategy(models.Model):
    """The National Strategy and Action Plan the Coordinator monitors (8.4.2)."""

    title = models.CharField(_("title"), max_length=200)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))

    def __str__(self) -> str:
        return self.title


class Objective(models.Model):
    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="objectives")
    code = models.CharField(max_length=20)
    title = models.CharField(_("title"), max_length=300)

    class Meta:
        ordering = ["code"]
        constraints = [models.UniqueConstraint(fields=["strategy", "code"], name="one_objective_code")]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class Activity(models.Model):
    """One activity of the plan: who does it by when, measured how, and how far it has got."""

    objective = models.ForeignKey(Objective, on_delete=models.CASCADE, related_name="activities")
    code = models.CharField(max_length=20)
    title = models.CharField(_("title"), max_length=300)
    responsible = models.ForeignKey("authorities.Institution", on_delete=models.PROTECT,
                                    related_name="plan_activities")
    deadline = models.DateField(_("deadline"))
    indicator = models.CharField(_("indicator"), max_length=300)
    baseline = models.DecimalField(_("baseline"), max_digits=12, decimal_places=2)
    target = models.DecimalField(_("target"), max_digits=12, decimal_places=2)
    progress = models.DecimalField(_("reported progress"), max_digits=12, decimal_places=2,
                                   null=True, blank=True)
    progress_reported_on = models.DateField(null=True, blank=True)
    completed_on = models.DateField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["objective__code", "code"]
        constraints = [models.UniqueConstraint(fields=["objective", "code"], name="one_activity_code")]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class TrainingProvision(models.TextChoices):
    IDENTIFICATION = "9.5", _("Identification of victims (9.5)")
    CHILDREN = "11.6", _("Child victims (11.6)")
    OTHER = "other", _("Other")


class Course(models.Model):
    title = models.CharField(_("title"), max_length=200)
    provision = models.CharField(max_length=10, choices=TrainingProvision.choices)

    def __str__(self) -> str:
        return self.title


class TrainingSession(models.Model):
    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="sessions")
    held_on = models.DateField(_("held on"))

    def __str__(self) -> str:
        return f"{self.course} on {self.held_on}"


class Attendance(models.Model):
    """How many officials of an institution, in a role, a session trained (counts, no names)."""

    session = models.ForeignKey(TrainingSession, on_delete=models.CASCADE, related_name="attendance")
    institution = models.ForeignKey("authorities.Institution", on_delete=models.PROTECT,
                                    related_name="+")
    role = models.CharField(max_length=30)
    participants = models.PositiveIntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["session", "institution", "role"],
                                               name="one_attendance_line")]

    def __str__(self) -> str:
        return f"{self.participants} of {self.institution_id} at {self.session_id}"


class FrontLineStaff(models.Model):
    """The number of front-line officials an institution reports for a year: coverage's base."""

    institution = models.ForeignKey("authorities.Institution", on_delete=models.PROTECT,
                                    related_name="+")
    year = models.PositiveIntegerField()
    officials = models.PositiveIntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["institution", "year"],
                                               name="one_staff_count_a_year")]

    def __str__(self) -> str:
        return f"{self.institution_id} {self.year}: {self.officials}"
