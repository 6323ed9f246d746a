"""Forms for a filing's data, shared by the customer portal and any other front end.

The rules live in the models' ``clean()`` (normalisation, R06, W01, R08/W02 conflicts) and in
``wagtail_beian.rules``; these forms only choose the fields and lock the ones a customer may not
change (F01: after a return, only the fields the reviewer flagged).
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import Access, AccessMethod, CertificateType, OrganizerNature, Province, Subject, Website
from ..rules.network import normalize_ip_list
from ..rules.numbers import parse_public_security_number

SUBJECT_FIELDS = [
    "nature", "name", "certificate_type", "certificate_number", "investor", "province",
    "residence_address", "mailing_address", "mailing_address_note", "responsible_name",
    "responsible_certificate_type", "responsible_certificate_number", "responsible_is_legal_representative",
    "responsible_mobile", "responsible_landline", "responsible_email",
]
WEBSITE_FIELDS = [
    "name", "domain", "homepage", "service_kind", "service_contents", "pre_approval_categories",
    "pre_approval_document_number", "domain_owner_is_organizer", "responsible_name",
    "responsible_certificate_type", "responsible_certificate_number", "responsible_mobile",
    "responsible_landline", "responsible_email",
]

#: The responsible person's fields a website can take from its organizer (W03).
RESPONSIBLE_FIELDS = [
    "responsible_name", "responsible_certificate_type", "responsible_certificate_number", "responsible_mobile",
    "responsible_landline", "responsible_email",
]


class LockableFormMixin:
    """``editable``: the field names the user may change; every other field is shown, disabled.

    Disabled fields keep their stored value whatever is posted (Django ignores posted data for them).
    """

    def __init__(self, *args, editable=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.editable = None if editable is None else set(editable)
        for name, field in self.fields.items():
            if self.editable is not None and name not in self.editable:
                field.disabled = True
            describe = f"id_{self.add_prefix(name)}_help"
            field.widget.attrs.setdefault("aria-describedby", describe)

    @property
    def has_editable_fields(self):
        return self.editable is None or any(not f.disabled for f in self.fields.values())


class SubjectForm(LockableFormMixin, forms.ModelForm):
    class Meta:
        model = Subject
        fields = SUBJECT_FIELDS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["nature"].queryset = OrganizerNature.objects.active()
        self.fields["province"].queryset = Province.objects.active()
        self.fields["certificate_type"].queryset = CertificateType.objects.active().filter(for_organizer=True)
        self.fields["responsible_certificate_type"].queryset = CertificateType.objects.active().filter(for_person=True)
        for name in ("nature", "name", "certificate_type", "certificate_number", "province"):
            self.fields[name].required = True


class WebsiteForm(LockableFormMixin, forms.ModelForm):
    class Meta:
        model = Website
        fields = WEBSITE_FIELDS
        widgets = {
            "service_contents": forms.CheckboxSelectMultiple,
            "pre_approval_categories": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, subject=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["responsible_certificate_type"].queryset = CertificateType.objects.active().filter(for_person=True)
        self.fields["homepage"].help_text = _("Leave empty for www. plus the domain.")
        self.subject = subject if subject is not None and subject.pk and subject.responsible_name else None
        editable = [n for n in RESPONSIBLE_FIELDS if not self.fields[n].disabled]
        if self.subject is not None and editable:
            same = all(getattr(self.instance, n) == getattr(self.subject, n) for n in RESPONSIBLE_FIELDS)
            self.fields["same_as_subject"] = forms.BooleanField(
                label=_("The website's responsible person is the organizer's (%(name)s)") % {"name": self.subject.responsible_name},
                required=False, initial=same and bool(self.instance.responsible_name),
                help_text=_("Their certificate, phones and e-mail are taken from the organizer's page."),
                widget=forms.CheckboxInput(attrs={"data-hides": "responsible_"}),
            )
            names = list(self.fields)
            names.remove("same_as_subject")
            names.insert(names.index("responsible_name"), "same_as_subject")
            self.order_fields(names)

    def clean(self):
        data = super().clean()
        if self.subject is not None and data.get("same_as_subject"):
            for name in RESPONSIBLE_FIELDS:
                if not self.fields[name].disabled:
                    data[name] = getattr(self.subject, name)
                    self.errors.pop(name, None)  # what was typed there is replaced, so is its error
        return data


class AccessForm(LockableFormMixin, forms.ModelForm):
    server_location = forms.ChoiceField(label=_("Server location"), choices=())

    class Meta:
        model = Access
        fields = ["method", "server_location", "ip_addresses"]
        widgets = {"ip_addresses": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, locations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["method"].queryset = AccessMethod.objects.active()
        choices = [(loc, loc) for loc in locations]
        current = getattr(self.instance, "server_location", "")
        if current and current not in locations:
            choices.append((current, current))
        self.fields["server_location"].choices = [("", "---------")] + choices

    def clean_ip_addresses(self):
        return "\n".join(normalize_ip_list(self.cleaned_data.get("ip_addresses")))


class PublicSecurityNumberForm(forms.ModelForm):
    """The website's public-security filing number (公安备案号), normalised like every filing number."""

    class Meta:
        model = Website
        fields = ["public_security_number"]

    def clean_public_security_number(self):
        value = self.cleaned_data["public_security_number"].strip()
        return str(parse_public_security_number(value)) if value else ""
