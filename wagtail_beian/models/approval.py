"""What approval does to the data (F05, F06): numbers for a new filing, a change copied onto its filing.

:class:`ApprovalMixin` gives :class:`~wagtail_beian.models.Filing` its ``apply_approval``, run by
the ``approve`` transition inside the transition's transaction, so an approval is the same
whoever performs it. It reaches the related models through the filing's own relations
(``websites``, ``documents``, ``access_records``), so this module imports no other model module.

The copy helpers are shared with :func:`wagtail_beian.services.changes.start_change`, which
copies the other way (approved filing → new change).
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from ..rules.numbers import parse_subject_number
from .states import FilingKind, ReviewStatus, WebsiteStatus

# Fields that describe a row's place in the workflow, not the filed data: never copied.
_NOT_DATA = {"id", "filing", "source", "is_live", "site_number", "status", "cancelled_at", "sort_order"}


def data_fields(model):
    """The names of the filed data of a Subject or Website (not its place in the workflow)."""
    return [f.name for f in model._meta.concrete_fields if f.name not in _NOT_DATA]


def copy_data(src, dst):
    for name in data_fields(type(src)):
        setattr(dst, name, getattr(src, name))


def copy_m2m(src, dst):
    dst.service_contents.set(src.service_contents.all())
    dst.pre_approval_categories.set(src.pre_approval_categories.all())


def copy_access(src, dst):
    dst.access_records.all().delete()
    dst.access_records.model.objects.bulk_create(
        dst.access_records.model(
            website=dst, method_id=a.method_id, server_location=a.server_location, ip_addresses=a.ip_addresses
        )
        for a in src.access_records.all()
    )


def _copy_documents(change, original, target_of):
    """The change's documents join the approved filing (same stored file, new row)."""
    Document = change.documents.model
    Document.objects.bulk_create(
        Document(
            filing=original, website_id=target_of.get(doc.website_id, doc.website_id) if doc.website_id else None,
            kind=doc.kind, file=doc.file.name, original_name=doc.original_name, content_type=doc.content_type,
            size=doc.size, sha256=doc.sha256, document_date=doc.document_date, uploaded_by_id=doc.uploaded_by_id,
            uploaded_at=doc.uploaded_at, review_status=doc.review_status, review_reason=doc.review_reason,
            reviewed_by_id=doc.reviewed_by_id, reviewed_at=doc.reviewed_at,
        )
        for doc in change.documents.exclude(review_status=ReviewStatus.REJECTED)
    )


class ApprovalMixin:
    """Approval's effect on a Filing's data; the transition itself is ``Filing.approve``."""

    def validate_subject_number(self, value):
        """Check the number the bureau issued: format, province = the subject's province, unused."""
        number = parse_subject_number(value)
        province = self.subject.province
        if province is not None and number.province_code != province.code:
            raise ValidationError(
                _(
                    "%(number)s was issued in %(issued)s, but the organizer's province is %(province)s. "
                    "Enter the number from the reply of the %(province)s bureau."
                )
                % {"number": number.subject_number, "issued": number.province, "province": province.name},
                code="province_mismatch",
            )
        clash = type(self).objects.filter(kind=FilingKind.NEW, subject_number=number.subject_number).exclude(pk=self.pk)
        if clash.exists():
            raise ValidationError(
                _("%(number)s already belongs to another filing. Check the bureau's reply and enter this subject's number.")
                % {"number": number.subject_number},
                code="number_taken",
            )
        return number.subject_number

    def assign_site_numbers(self, websites):
        """Give each website the next free -N of the filing; numbers are never reused (F06)."""
        for website in websites:
            self.last_site_number += 1
            website.site_number = self.last_site_number
            website.save(update_fields=["site_number"])
        type(self).objects.filter(pk=self.pk).update(last_site_number=self.last_site_number)

    def apply_approval(self, subject_number=""):
        """A change is copied onto its filing; a new filing gets its subject and website numbers."""
        if self.kind != FilingKind.NEW:
            self._apply_change()
            return
        if self.subject_number:
            # Re-approval after a cancellation was refused keeps the number it has.
            subject_number = subject_number or self.subject_number
        self.subject_number = self.validate_subject_number(subject_number)
        new_sites = self.websites.filter(site_number__isnull=True, status=WebsiteStatus.ACTIVE).order_by("sort_order", "pk")
        self.assign_site_numbers(new_sites)

    def _apply_change(self):
        """Copy this approved change onto the filing it amends."""
        original = type(self).objects.select_for_update().get(pk=self.amends_id)
        copy_data(self.subject, original.subject)
        original.subject.save()
        added = []
        target_of = {}
        for copy in self.websites.all():
            target_of[copy.pk] = copy.source_id or copy.pk
            if copy.source_id:
                target = copy.source
                copy_data(copy, target)
                target.save()
                copy_m2m(copy, target)
                copy_access(copy, target)
            else:
                # W05: a website added through a change joins the approved filing with the next number.
                copy.filing = original
                copy.is_live = True
                copy.save(update_fields=["filing", "is_live"])
                added.append(copy)
        original.assign_site_numbers(added)
        _copy_documents(self, original, target_of)
        log(original, "wagtail_beian.apply_change", data={"change": self.pk, "websites_added": [w.pk for w in added]})
