"""Reviewer overrides of rules, each permission-checked and logged (R06)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from .. import permissions as perms
from ..exceptions import TransitionForbidden
from ..models import Subject
from ..rules.identity import mask_certificate_number, normalize_certificate


def accept_certificate_checksum_override(subject, user, note=""):
    """Accept a real certificate number that fails its checksum (early USCCs, R06); logged.

    The number must still be well-formed: only the check character may disagree.
    """
    if not perms.has_perm(user, perms.OVERRIDE_CHECKSUM):
        raise TransitionForbidden(_("You do not have permission to accept a certificate number that fails the checksum."))
    if not note.strip():
        raise ValidationError(_("Say why the number is accepted (e.g. checked against the licence scan)."), code="note_required")
    with transaction.atomic():
        subject = Subject.objects.select_for_update(of=("self",)).select_related("certificate_type").get(pk=subject.pk)
        number = normalize_certificate(subject.certificate_type.code, subject.certificate_number, allow_bad_checksum=True)
        subject.certificate_number = number
        subject.certificate_override = True
        subject.save(update_fields=["certificate_number", "certificate_override"])
        log(subject.filing, "wagtail_beian.certificate_override", user=user, data={
            "certificate_number": mask_certificate_number(number), "note": note.strip(),
        })
    return subject
