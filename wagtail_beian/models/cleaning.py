"""Normalisation of stored values through the rules (one place: wagtail_beian.rules)."""

from django.core.exceptions import ValidationError
from django_fsm import FSMFieldMixin

from ..rules.contacts import normalize_email, normalize_landline, normalize_mobile
from ..rules.identity import normalize_certificate


class FSMCleanMixin:
    """``full_clean()`` on models with protected FSM fields (Django would reassign the state)."""

    def clean_fields(self, exclude=None):
        fsm = {f.name for f in self._meta.fields if isinstance(f, FSMFieldMixin)}
        super().clean_fields(exclude=set(exclude or ()) | fsm)


def normalize_into(instance, errors, field, func, *args, **kwargs):
    """Replace ``instance.<field>`` by ``func(value)``; collect a ValidationError under the field."""
    value = getattr(instance, field)
    if value in (None, ""):
        return
    try:
        setattr(instance, field, func(*args, value, **kwargs))
    except ValidationError as error:
        errors.setdefault(field, []).extend(error.messages)


def normalize_person(instance, errors):
    """The responsible person's certificate number and contacts (R06, R07)."""
    cert_type = instance.responsible_certificate_type
    if cert_type is not None:
        normalize_into(instance, errors, "responsible_certificate_number", normalize_certificate, cert_type.code)
    normalize_into(instance, errors, "responsible_mobile", normalize_mobile)
    normalize_into(instance, errors, "responsible_landline", normalize_landline)
    normalize_into(instance, errors, "responsible_email", normalize_email)
