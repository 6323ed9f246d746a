"""The filing aggregate: a Filing (the application and its workflow), its Subject, Websites, Access.

A *new* filing carries a subject and its websites from draft to approval. After approval the
filing is the public record. A *change* (变更) is a second Filing of kind ``change`` that amends
the approved one: it holds its own copies of the subject and websites, so the approved data stays
the public record until the change is approved, and a rejected or withdrawn change leaves it
intact (DOMAIN "Filing states"). Only *live* rows take part in conflict detection (R08, W02).
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from .. import permissions as perms
from ..rules import deadlines, workdays
from ..rules.identity import mask_certificate_number
from ..rules.domains import default_homepage, domain_to_unicode, normalize_domain
from ..rules.identity import normalize_certificate
from ..rules.numbers import format_filing_number
from .cleaning import FSMCleanMixin, normalize_into, normalize_person
from .conflicts import SubjectQuerySet, WebsiteQuerySet, domain_conflict_message, subject_conflict_message
from .states import (  # noqa: F401  (re-exported: the filing aggregate's states)
    CUSTOMER_EDITABLE_STATES,
    OPEN_REASON_STATUSES,
    OPEN_STATES,
    PROVIDER_EDITABLE_STATES,
    UNSETTLED_REASON_STATUSES,
    ReasonStatus,
    TERMINAL_STATES,
    DeadlineKind,
    FilingKind,
    FilingState,
    ServiceKind,
    WebsiteStatus,
)
from .states import FILING_STATES
from .states import FilingState as S
from .approval import ApprovalMixin
from .codes import AccessMethod, CertificateType, OrganizerNature, PreApprovalCategory, Province, ServiceContent

#: What cancelling means (F06), shown before the customer asks and before staff confirm.
CANCEL_SUBJECT_WARNING = _(
    "Cancelling the filing (注销主体) cannot be undone: the organizer and all its websites lose their filing "
    "numbers, and the websites must not be served any more. Filing them again starts from the beginning."
)
CANCEL_WEBSITE_WARNING = _(
    "Cancelling the website (注销网站) cannot be undone: its number is never given again, and the website "
    "must not be served any more. The organizer and its other websites stay filed."
)


def _is_new(filing):
    return filing.kind == FilingKind.NEW


class FilingQuerySet(models.QuerySet):
    def for_owner(self, user):
        if not user.is_authenticated:
            return self.none()
        return self.filter(owner=user)

    def live(self):
        return self.filter(kind=FilingKind.NEW).exclude(state__in=TERMINAL_STATES)


class Filing(ApprovalMixin, FSMCleanMixin, ConcurrentTransitionMixin, models.Model):
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("customer"), on_delete=models.PROTECT,
        related_name="beian_filings",
    )
    kind = models.CharField(_("kind"), max_length=10, choices=FilingKind.choices, default=FilingKind.NEW)
    state = FSMField(_("state"), max_length=20, choices=FilingState.choices, default=S.DRAFT, protected=True)
    amends = models.ForeignKey(
        "self", verbose_name=_("amends filing"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="changes",
    )
    subject_number = models.CharField(
        _("subject filing number"), max_length=30, blank=True,
        help_text=_("Issued by the bureau on approval, e.g. 京ICP备17042306号."),
    )
    last_site_number = models.PositiveIntegerField(
        _("last website number issued"), default=0,
        help_text=_("Website numbers are never reused, even after a website is cancelled."),
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("assigned clerk"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="assigned_beian_filings",
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    verified_at = models.DateTimeField(_("verified"), null=True, blank=True)
    sms_sent_at = models.DateTimeField(_("submitted to bureau"), null=True, blank=True)
    bureau_clock_started_at = models.DateTimeField(_("bureau review started"), null=True, blank=True)
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    deadline_kind = models.CharField(_("deadline"), max_length=10, choices=DeadlineKind.choices, blank=True)
    deadline_at = models.DateTimeField(_("due"), null=True, blank=True, db_index=True)
    # W05: a change that adds a website must reach the bureau within 7 working days of its first
    # submission to the provider; met once it has been submitted to the bureau (sms_sent_at).
    website_addition_started_at = models.DateTimeField(_("website addition submitted"), null=True, blank=True)
    website_addition_due_at = models.DateTimeField(
        _("added website due at the bureau"), null=True, blank=True, db_index=True
    )

    objects = FilingQuerySet.as_manager()

    class Meta:
        verbose_name = _("filing")
        verbose_name_plural = _("filings")
        ordering = ["-created_at", "-pk"]
        permissions = perms.FILING_PERMISSIONS
        indexes = [
            models.Index(fields=["state", "deadline_at"]),
            # The listing's default order; PostgreSQL's trigram indexes for search: migration 0013.
            models.Index(fields=["-created_at", "-id"], name="beian_filing_created_desc"),
            models.Index(fields=["subject_number"], name="beian_filing_subjnum"),
        ]
        constraints = [
            # One subject number per subject; a cancelled subject keeps its number for ever.
            models.UniqueConstraint(
                fields=["subject_number"], condition=Q(kind="new") & ~Q(subject_number=""),
                name="beian_unique_subject_number",
            ),
            # At most one open change per approved filing.
            models.UniqueConstraint(
                fields=["amends"], condition=Q(kind="change", state__in=OPEN_STATES),
                name="beian_one_open_change",
            ),
            models.CheckConstraint(
                condition=Q(kind="new", amends__isnull=True) | Q(kind="change", amends__isnull=False),
                name="beian_change_amends_filing",
            ),
        ]

    def __str__(self):
        name = getattr(getattr(self, "subject", None), "name", "") or _("(no organizer yet)")
        if self.subject_number:
            return f"{name} ({self.subject_number})"
        return f"{name} #{self.pk}" if self.pk else str(name)

    # ----------------------------------------------------------------- derived data
    @property
    def state_info(self):
        """What this filing's state means (whose move, next step, editing, deadline): models.states."""
        return FILING_STATES[self.state]

    @property
    def is_customer_editable(self):
        return self.state in CUSTOMER_EDITABLE_STATES

    @property
    def public_record(self):
        """The approved filing whose data is the public record for this application."""
        return self.amends if self.kind == FilingKind.CHANGE else self

    def can_edit(self, user):
        """F01: the customer edits while the filing is with them; after submission only the provider."""
        if self.is_customer_editable and perms.is_owner(user, self):
            return True
        return self.state in PROVIDER_EDITABLE_STATES and perms.has_perm(user, perms.EDIT_SUBMITTED)

    def open_change(self):
        return self.changes.filter(state__in=OPEN_STATES).first()

    def open_reasons(self):
        """The reasons the customer still has to act on (change the field or explain)."""
        return self.reasons.filter(status__in=OPEN_REASON_STATUSES)

    def unsettled_reasons(self):
        """The reasons the clerk has not confirmed yet: verification waits for them."""
        return self.reasons.filter(status__in=UNSETTLED_REASON_STATUSES)

    def workdays_left(self, today=None):
        """Working days left until a working-day deadline (negative when overdue); F04."""
        if not self.deadline_at or self.deadline_kind == DeadlineKind.SMS:
            return None
        today = today or timezone.localdate()
        return workdays.workdays_between(today, timezone.localdate(self.deadline_at))

    def is_overdue(self, now=None):
        return bool(self.deadline_at and (now or timezone.now()) > self.deadline_at)

    @property
    def website_addition_open(self):
        """W05 still running: a website added by this change has not reached the bureau yet."""
        return bool(self.website_addition_due_at and self.sms_sent_at is None and self.state not in TERMINAL_STATES)

    def website_addition_workdays_left(self, today=None):
        if not self.website_addition_open:
            return None
        today = today or timezone.localdate()
        return workdays.workdays_between(today, timezone.localdate(self.website_addition_due_at))

    def _start_website_addition_clock(self):
        """W05: the clock starts at the change's first submission that adds a website (kept on resubmission)."""
        adds = self.kind == FilingKind.CHANGE and self.websites.filter(source__isnull=True).exists()
        if not adds:
            self.website_addition_started_at = self.website_addition_due_at = None
        elif self.website_addition_started_at is None:
            self.website_addition_started_at = self.submitted_at or timezone.now()
            self.website_addition_due_at = deadlines.due_at(DeadlineKind.WEBSITE_ADDITION, self.website_addition_started_at)

    def _enter(self, state, start=None):
        """The deadline of ``state`` (its ``StateInfo.deadline``) starts now, or at ``start``; none
        when that state has no deadline. Every transition calls it with its target state."""
        kind = FILING_STATES[state].deadline
        if not kind:
            self.deadline_kind, self.deadline_at = "", None
        else:
            self.deadline_kind, self.deadline_at = kind, deadlines.due_at(kind, start or timezone.now())

    def _set_live(self, live):
        """Take part in (or leave) conflict detection: R08 subject, W02 domains."""
        Subject.objects.filter(filing=self).update(is_live=live)
        websites = Website.objects.filter(filing=self)
        if live:
            websites = websites.exclude(status=WebsiteStatus.CANCELLED)
        websites.update(is_live=live)

    # ----------------------------------------------------------------- transitions (F01–F06)
    # Each transition's ``custom`` carries its label (buttons, audit log), whether the customer
    # sees it, whether it needs reasons, and its gates (services.workflow.GATES): ``preflight``
    # (blocked while pre-flight finds an error), ``documents_accepted`` (F02), ``reasons_answered``
    # and ``reasons_confirmed`` (F03: each reason changed or explained, then confirmed by the clerk).
    # The service layer (services.workflow) locks, checks pre-flight and permissions, and logs.

    @transition(
        field=state, source=[S.DRAFT, S.RETURNED], target=S.SUBMITTED,
        permission=perms.owner_or_staff_with(perms.EDIT_SUBMITTED),
        custom={"label": _("Submit"), "customer_visible": True, "preflight": True, "reasons_answered": True},
    )
    def submit(self, by=None):
        self.submitted_at = timezone.now()
        self._enter(S.SUBMITTED)
        self._start_website_addition_clock()

    @transition(
        field=state, source=[S.SUBMITTED, S.VERIFIED], target=S.RETURNED,
        permission=perms.staff_with(perms.VERIFY),
        custom={"label": _("Return to customer"), "customer_visible": True, "needs_reasons": True},
    )
    def return_to_customer(self, by=None):
        self._enter(S.RETURNED)

    @transition(
        field=state, source=S.SUBMITTED, target=S.VERIFIED,
        permission=perms.staff_with(perms.VERIFY),
        custom={"label": _("Verify"), "customer_visible": True, "preflight": True, "documents_accepted": True,
                "reasons_confirmed": True},
    )
    def verify(self, by=None):
        self.verified_at = timezone.now()
        self._enter(S.VERIFIED)

    @transition(
        field=state, source=S.VERIFIED, target=S.SMS_CHECK,
        permission=perms.staff_with(perms.SUBMIT_TO_BUREAU),
        custom={"label": _("Submit to bureau"), "customer_visible": True},
    )
    def submit_to_bureau(self, by=None):
        self.sms_sent_at = timezone.now()
        self._enter(S.SMS_CHECK, self.sms_sent_at)

    @transition(
        field=state, source=S.SMS_CHECK, target=S.BUREAU_REVIEW,
        permission=perms.staff_with(perms.SUBMIT_TO_BUREAU),
        custom={"label": _("Record SMS confirmation"), "customer_visible": True},
    )
    def confirm_sms(self, by=None):
        self.bureau_clock_started_at = timezone.now()
        self._enter(S.BUREAU_REVIEW, self.bureau_clock_started_at)

    @transition(
        field=state, source=S.SMS_CHECK, target=S.RETURNED,
        permission=perms.staff_with(perms.SUBMIT_TO_BUREAU),
        custom={"label": _("SMS check failed"), "customer_visible": True, "needs_reasons": True},
    )
    def fail_sms(self, by=None):
        self._enter(S.RETURNED)

    @transition(
        field=state, source=S.BUREAU_REVIEW, target=S.APPROVED,
        permission=perms.staff_with(perms.RECORD_BUREAU_DECISION),
        custom={"label": _("Record approval"), "customer_visible": True, "needs_subject_number": True},
    )
    def approve(self, by=None, subject_number=""):
        self.apply_approval(subject_number)
        self.approved_at = timezone.now()
        self._enter(S.APPROVED)

    @transition(
        field=state, source=S.BUREAU_REVIEW, target=S.BUREAU_REJECTED,
        permission=perms.staff_with(perms.RECORD_BUREAU_DECISION),
        custom={"label": _("Record bureau rejection"), "customer_visible": True, "needs_reasons": True},
    )
    def reject(self, by=None):
        self._enter(S.BUREAU_REJECTED)

    @transition(
        field=state, source=S.BUREAU_REJECTED, target=S.BUREAU_REVIEW,
        permission=perms.staff_with(perms.SUBMIT_TO_BUREAU),
        custom={"label": _("Resubmit to bureau"), "customer_visible": True, "preflight": True,
                "reasons_confirmed": True},
    )
    def resubmit_to_bureau(self, by=None):
        # F03: a fixed bureau rejection goes straight back to the bureau; its clock restarts (F04).
        self.bureau_clock_started_at = timezone.now()
        self._enter(S.BUREAU_REVIEW, self.bureau_clock_started_at)

    @transition(
        field=state, source=[S.DRAFT, S.RETURNED, S.BUREAU_REJECTED], target=S.WITHDRAWN,
        permission=perms.owner_or_staff_with(perms.PROCESS_CANCELLATION),
        custom={"label": _("Withdraw"), "customer_visible": True},
    )
    def withdraw(self, by=None):
        self._enter(S.WITHDRAWN)
        if self.kind == FilingKind.NEW:
            self._set_live(False)

    @transition(
        field=state, source=S.APPROVED, target=S.CANCELLING, conditions=[_is_new],
        permission=perms.owner_or_staff_with(perms.PROCESS_CANCELLATION),
        custom={"label": _("Request cancellation of the subject"), "customer_visible": True, "needs_note": True,
                "warning": CANCEL_SUBJECT_WARNING},
    )
    def request_cancellation(self, by=None):
        pass

    @transition(
        field=state, source=S.CANCELLING, target=S.CANCELLED,
        permission=perms.staff_with(perms.PROCESS_CANCELLATION),
        custom={"label": _("Confirm cancellation"), "customer_visible": True, "needs_note": True,
                "warning": CANCEL_SUBJECT_WARNING},
    )
    def confirm_cancellation(self, by=None):
        # F06: cancelling the subject cancels all its websites; numbers are kept, never reused.
        self.cancelled_at = timezone.now()
        Website.objects.filter(filing=self).exclude(status=WebsiteStatus.CANCELLED).update(
            status=WebsiteStatus.CANCELLED, cancelled_at=self.cancelled_at
        )
        self._set_live(False)

    @transition(
        field=state, source=S.CANCELLING, target=S.APPROVED,
        permission=perms.staff_with(perms.PROCESS_CANCELLATION),
        custom={"label": _("Refuse cancellation"), "customer_visible": True, "needs_reasons": True},
    )
    def refuse_cancellation(self, by=None):
        pass


class ResponsiblePerson(models.Model):
    """The responsible person (负责人) of a subject or a website (R03, R05, R07, W03)."""

    responsible_name = models.CharField(_("responsible person"), max_length=50, blank=True)
    responsible_certificate_type = models.ForeignKey(
        CertificateType, verbose_name=_("responsible person's certificate type"), null=True,
        blank=True, on_delete=models.PROTECT, related_name="+",
    )
    responsible_certificate_number = models.CharField(
        _("responsible person's certificate number"), max_length=40, blank=True
    )
    responsible_mobile = models.CharField(_("mobile"), max_length=20, blank=True)
    responsible_landline = models.CharField(_("office phone"), max_length=30, blank=True)
    responsible_email = models.EmailField(_("e-mail"), blank=True)

    class Meta:
        abstract = True

    @property
    def masked_responsible_certificate_number(self):
        return mask_certificate_number(self.responsible_certificate_number)


class Subject(ResponsiblePerson):
    """The organizer (主办单位) of a filing."""

    filing = models.OneToOneField(Filing, on_delete=models.CASCADE, related_name="subject")
    nature = models.ForeignKey(
        OrganizerNature, verbose_name=_("organizer nature"), null=True, on_delete=models.PROTECT
    )
    name = models.CharField(
        _("organizer name"), max_length=100,
        help_text=_("The company name as on the licence, or the person's name; never a website name."),
    )
    certificate_type = models.ForeignKey(
        CertificateType, verbose_name=_("certificate type"), null=True, on_delete=models.PROTECT,
        related_name="+",
    )
    certificate_number = models.CharField(_("certificate number"), max_length=40, blank=True)
    certificate_override = models.BooleanField(
        _("checksum override"), default=False,
        help_text=_("A reviewer accepted a real certificate number that fails the checksum (R06)."),
    )
    investor = models.CharField(_("investor or superior authority"), max_length=100, blank=True)
    province = models.ForeignKey(
        Province, verbose_name=_("province"), null=True, on_delete=models.PROTECT,
        help_text=_("The organizer's domicile; the bureau of this province reviews the filing."),
    )
    residence_address = models.CharField(_("residence address"), max_length=200, blank=True)
    mailing_address = models.CharField(_("mailing address"), max_length=200, blank=True)
    mailing_address_note = models.CharField(
        _("note on the mailing address"), max_length=200, blank=True,
        help_text=_("Required when the address has no house number: explain why."),
    )
    responsible_is_legal_representative = models.BooleanField(
        _("responsible person is the legal representative"), default=True
    )
    is_live = models.BooleanField(default=True, editable=False)

    objects = SubjectQuerySet.as_manager()

    class Meta:
        verbose_name = pgettext_lazy("beian", "subject")
        verbose_name_plural = _("subjects")
        constraints = [
            # R08: a subject is unique by certificate type + normalised certificate number.
            models.UniqueConstraint(
                fields=["certificate_type", "certificate_number"],
                condition=Q(is_live=True) & ~Q(certificate_number=""),
                name="beian_r08_unique_live_subject",
                violation_error_code="subject_conflict",
                violation_error_message=_(
                    "This organizer (same certificate type and number) is already filed. Add the website to "
                    "the existing filing instead, or cancel that filing at its bureau first."
                ),
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def masked_certificate_number(self):
        return mask_certificate_number(self.certificate_number)

    def clean(self):
        """Store canonical certificate numbers and contacts, so R08 compares like with like."""
        errors = {}
        if self.certificate_type_id:
            normalize_into(
                self, errors, "certificate_number", normalize_certificate, self.certificate_type.code,
                allow_bad_checksum=self.certificate_override,
            )
        normalize_person(self, errors)
        if "certificate_number" not in errors and self.is_live and self.filing_id:
            existing = Subject.objects.conflicting_with(
                self.certificate_type_id, self.certificate_number, exclude=self.filing
            )
            if existing is not None:
                problem, suggestion = subject_conflict_message(existing, existing.filing.owner_id == self.filing.owner_id)
                errors.setdefault("certificate_number", []).append(
                    ValidationError(f"{problem} {suggestion}", code="subject_conflict")
                )
        if errors:
            raise ValidationError(errors)


class Website(FSMCleanMixin, ConcurrentTransitionMixin, ResponsiblePerson):
    """A filed website or app; since 2019 exactly one domain each (W01)."""

    filing = models.ForeignKey(Filing, on_delete=models.CASCADE, related_name="websites")
    source = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="change_copies",
        help_text="The approved website a change copy amends.",
    )
    name = models.CharField(_("website name"), max_length=100)
    domain = models.CharField(
        _("domain"), max_length=253, help_text=_("The registered domain, e.g. example.com, not www.example.com.")
    )
    homepage = models.CharField(_("homepage"), max_length=253, blank=True)
    service_kind = models.CharField(
        _("service kind"), max_length=15, choices=ServiceKind.choices, default=ServiceKind.WEBSITE
    )
    service_contents = models.ManyToManyField(ServiceContent, verbose_name=_("service content"), blank=True)
    pre_approval_categories = models.ManyToManyField(
        PreApprovalCategory, verbose_name=_("pre-approval categories"), blank=True
    )
    pre_approval_document_number = models.CharField(_("pre-approval document number"), max_length=100, blank=True)
    domain_owner_is_organizer = models.BooleanField(
        _("domain registered to the organizer"), default=True,
        help_text=_("If not, a domain authorisation letter replaces the domain certificate (D03)."),
    )
    site_number = models.PositiveIntegerField(_("website number"), null=True, blank=True)
    #: Entered by the customer once the site has it (公安联网备案, a separate filing after going live);
    #: shown beside the ICP number in the footer snippet.
    public_security_number = models.CharField(
        _("public-security filing number"), max_length=40, blank=True,
        help_text=_("e.g. 京公网安备 11010802020088号; shown with a link to its record."),
    )
    status = FSMField(_("status"), max_length=12, choices=WebsiteStatus.choices, default=WebsiteStatus.ACTIVE, protected=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    is_live = models.BooleanField(default=True, editable=False)

    objects = WebsiteQuerySet.as_manager()
    sort_order = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("website")
        verbose_name_plural = _("websites")
        ordering = ["sort_order", "pk"]
        constraints = [
            # W02: a domain is filed once among live filings.
            models.UniqueConstraint(
                fields=["domain"], condition=Q(is_live=True), name="beian_w02_unique_live_domain",
                violation_error_code="domain_conflict",
                violation_error_message=_(
                    "This domain is already filed. A domain is filed only once: add this website to the "
                    "existing filing, or cancel that filing at its bureau first."
                ),
            ),
            models.UniqueConstraint(
                fields=["filing", "site_number"], condition=Q(site_number__isnull=False),
                name="beian_unique_site_number",
            ),
        ]

    def __str__(self):
        return f"{self.name} ({domain_to_unicode(self.domain)})"

    @property
    def filing_number(self):
        """The full website number, e.g. 京ICP备17042306号-4, once approved."""
        record = self.filing.public_record
        if not (record.subject_number and self.site_number):
            return ""
        return format_filing_number(record.subject_number, self.site_number, self.service_kind)

    def clean(self):
        """One canonical registered domain (W01) so W02 compares like with like."""
        errors = {}
        normalize_into(self, errors, "domain", normalize_domain)
        if self.domain and not self.homepage and "domain" not in errors:
            self.homepage = default_homepage(self.domain)
        normalize_person(self, errors)
        if "domain" not in errors and self.domain and self.is_live and self.filing_id:
            existing = Website.objects.conflicting_with([self.domain], exclude=self.filing).get(self.domain)
            if existing is not None and existing.pk != self.pk:
                problem, suggestion = domain_conflict_message(existing)
                errors.setdefault("domain", []).append(ValidationError(f"{problem} {suggestion}", code="domain_conflict"))
        if errors:
            raise ValidationError(errors)

    def _filing_approved(self):
        return self.filing.kind == FilingKind.NEW and self.filing.state == S.APPROVED

    # F06: cancel a website, keep the subject. The number stays with the cancelled website.
    @transition(
        field=status, source=WebsiteStatus.ACTIVE, target=WebsiteStatus.CANCELLING,
        conditions=[_filing_approved],
        permission=perms.owner_or_staff_with(perms.PROCESS_CANCELLATION),
        custom={"label": _("Request cancellation of the website"), "customer_visible": True, "needs_note": True,
                "warning": CANCEL_WEBSITE_WARNING},
    )
    def request_cancellation(self, by=None):
        pass

    @transition(
        field=status, source=WebsiteStatus.CANCELLING, target=WebsiteStatus.CANCELLED,
        permission=perms.staff_with(perms.PROCESS_CANCELLATION),
        custom={"label": _("Confirm website cancellation"), "customer_visible": True, "needs_note": True,
                "warning": CANCEL_WEBSITE_WARNING},
    )
    def confirm_cancellation(self, by=None):
        self.cancelled_at = timezone.now()
        self.is_live = False

    @transition(
        field=status, source=WebsiteStatus.CANCELLING, target=WebsiteStatus.ACTIVE,
        permission=perms.staff_with(perms.PROCESS_CANCELLATION),
        custom={"label": _("Refuse website cancellation"), "customer_visible": True, "needs_reasons": True},
    )
    def refuse_cancellation(self, by=None):
        pass


class Access(models.Model):
    """Nominal access (接入) of a website at this provider (F07, F08)."""

    website = models.ForeignKey(Website, on_delete=models.CASCADE, related_name="access_records")
    method = models.ForeignKey(AccessMethod, verbose_name=_("access method"), on_delete=models.PROTECT)
    server_location = models.CharField(_("server location"), max_length=100, blank=True)
    ip_addresses = models.TextField(_("IP addresses"), blank=True, help_text=_("One per line."))
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("access record")
        verbose_name_plural = _("access records")

    def __str__(self):
        return f"{domain_to_unicode(self.website.domain)}: {self.method}"

    @property
    def ip_list(self):
        return [line.strip() for line in self.ip_addresses.splitlines() if line.strip()]


class ReasonTransition(models.TextChoices):
    RETURN = "return_to_customer", _("Returned by provider")
    SMS = "fail_sms", _("SMS check failed")
    REJECT = "reject", _("Rejected by bureau")
    REFUSE_CANCELLATION = "refuse_cancellation", _("Cancellation refused")


class FilingReason(models.Model):
    """A field-level reason of a return or rejection: {field, problem, suggestion} (anchors).

    The customer sees every reason; the open ones decide what the customer may edit. An open reason
    is answered by changing its field or by an explanation (``answer``); the clerk then confirms it
    or reopens it (``status``, :class:`ReasonStatus`).
    """

    filing = models.ForeignKey(Filing, on_delete=models.CASCADE, related_name="reasons")
    transition = models.CharField(_("transition"), max_length=30, choices=ReasonTransition.choices)
    field = models.CharField(_("field"), max_length=100)
    problem = models.TextField(_("problem"))
    suggestion = models.TextField(_("suggestion"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    status = models.CharField(_("status"), max_length=10, choices=ReasonStatus.choices, default=ReasonStatus.OPEN)
    #: Since when the reason is open: its creation, or its last reopening. Only changes and
    #: explanations after it answer the reason.
    opened_at = models.DateTimeField(_("opened"), default=timezone.now)
    answer = models.TextField(
        _("customer's explanation"), blank=True,
        help_text=_("Why the field is right as it is, when the customer does not change it."),
    )
    answered_at = models.DateTimeField(_("explained"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("confirmed by"),
    )
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)

    class Meta:
        verbose_name = _("reason")
        verbose_name_plural = _("reasons")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.field}: {self.problem}"

    def as_dict(self):
        return {"field": self.field, "problem": self.problem, "suggestion": self.suggestion}

    @property
    def is_open(self):
        return self.status in OPEN_REASON_STATUSES

    @property
    def is_unsettled(self):
        return self.status in UNSETTLED_REASON_STATUSES
