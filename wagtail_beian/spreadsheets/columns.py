"""The one definition of the filing spreadsheet: one row per website.

Every row carries its filing's columns, the subject (organizer) columns, the website columns and
the website's access record. Import, export and the template all read :data:`COLUMNS`:

* ``key``       stable machine name (also accepted as a header on import);
* ``model`` / ``field``  where the value lives (``filing``, ``subject``, ``website``, ``access``);
* ``type``      how a cell is read and written (:data:`TEXT`, :data:`DATE`, :data:`CODE` ...);
* headers       Chinese header = the model field's verbose name translated to zh-Hans (or an
                explicit ``label`` where the verbose name is ambiguous, e.g. the subject's and the
                website's responsible person); the English header and the key are accepted as
                aliases on import (:func:`match_headers`);
* ``required``  a new row without it is invalid;
* ``help``      explanation for the template's second sheet;
* ``code_model`` / ``choices``  the code table (dropdown validation; values accepted by label or code);
* ``importable`` False for columns the import never writes (computed numbers, the state, which
                only takes effect through the explicit, permission-checked state path);
* ``personal``  personal data: masked on export for users without the personal-data permission.

Dates are written as dates; code-table values as their label (name); several codes (service
contents, pre-approval categories) and IP addresses one per line.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

# At module level: cell_value runs once per cell of an export.
from .. import models
from ..rules.identity import mask_certificate_number

# Cell types
TEXT = "text"
INTEGER = "integer"
BOOLEAN = "boolean"
DATE = "date"
CODE = "code"  # one code-table row, by label (name) or code
CODES = "codes"  # several code-table rows, one per line (or separated by , ; 、)
CHOICE = "choice"  # a fixed TextChoices value, by label or value
IPS = "ips"  # public IP addresses, one per line (or separated by , ; whitespace)
USER = "user"  # a customer account, by username or e-mail
FILING_NUMBER = "filing_number"  # the full website number, computed (export only)

TYPE_NAMES = {
    TEXT: _("text"),
    INTEGER: _("whole number"),
    BOOLEAN: _("yes / no"),
    DATE: _("date (YYYY-MM-DD or a date cell)"),
    CODE: _("one value from the list"),
    CODES: _("values from the list, one per line"),
    CHOICE: _("one value from the list"),
    IPS: _("IP addresses, one per line"),
    USER: _("user name or e-mail of the customer account"),
    FILING_NUMBER: _("filing number (filled in by the system)"),
}

#: Texts accepted for yes and no in BOOLEAN cells (compared case-insensitively).
TRUE_WORDS = frozenset({"是", "true", "yes", "y", "1", "√", "✓", "x"})
FALSE_WORDS = frozenset({"否", "false", "no", "n", "0"})
YES_LABEL, NO_LABEL = "是", "否"

#: Separators of several values in one cell (CODES, IPS).
LIST_SEPARATORS = ("\n", "\r", ",", "，", ";", "；", "、")


@dataclass(frozen=True)
class Column:
    key: str
    model: str
    field: str
    type: str = TEXT
    label: Promise | str | None = None
    required: bool = False
    help: Promise | str = ""
    code_model: str | None = None
    choices: str | None = None
    importable: bool = True
    personal: bool = False
    aliases: tuple[str, ...] = field(default=())

    # ------------------------------------------------------------------ model metadata
    @property
    def model_class(self):
        name = {"filing": "Filing", "subject": "Subject", "website": "Website", "access": "Access"}[self.model]
        return apps.get_model("wagtail_beian", name)

    @property
    def model_field(self):
        try:
            return self.model_class._meta.get_field(self.field)
        except FieldDoesNotExist:  # computed columns (FILING_NUMBER) have no model field
            return None

    @property
    def verbose_name(self):
        if self.label is not None:
            return self.label
        return self.model_field.verbose_name

    def header(self, language="zh-hans"):
        """The column header in ``language`` (Chinese by default, as staff and bureaus use)."""
        with translation.override(language):
            return str(self.verbose_name)

    @property
    def english_header(self):
        return self.header("en")

    def accepted_headers(self):
        """Normalised header texts that name this column on import."""
        names = {self.key, self.header("zh-hans"), self.english_header, *self.aliases}
        return {normalize_header(n) for n in names}

    @property
    def help_text(self):
        if self.help:
            return self.help
        model_field = self.model_field
        return getattr(model_field, "help_text", "") if model_field is not None else ""

    @property
    def code_class(self):
        return apps.get_model("wagtail_beian", self.code_model) if self.code_model else None

    def code_options(self):
        """[(code, label)] of the allowed values, for dropdowns and the explanation sheet."""
        if self.code_model:
            return list(self.code_class.objects.filter(is_active=True).order_by("sort_order", "code").values_list("code", "name"))
        if self.choices:
            return [(value, str(label)) for value, label in self.choices_class.choices]
        if self.type == BOOLEAN:
            return [("true", YES_LABEL), ("false", NO_LABEL)]
        return []

    @property
    def choices_class(self):
        return getattr(models, self.choices) if self.choices else None


def normalize_header(text) -> str:
    """Headers compare without case, width, spaces, '*' (required markers) or trailing colons."""
    text = unicodedata.normalize("NFKC", str(text or "")).casefold()
    return "".join(ch for ch in text if not ch.isspace() and ch not in "*:：").strip()


# Ambiguous verbose names get explicit labels: the subject's and the website's responsible person.
_R = "responsible_"

COLUMNS: tuple[Column, ...] = (
    # ----------------------------------------------------------------- filing
    Column("filing_id", "filing", "id", INTEGER, label=_("filing ID"),
           help=_("Leave blank for a new filing. To update a filing, keep the ID from an export.")),
    Column("customer", "filing", "owner", USER,
           help=_("User name or e-mail of the customer account that owns the filing. Blank: the customer "
                  "chosen when importing.")),
    Column("state", "filing", "state", CHOICE, choices="FilingState", importable=False,
           help=_("Written by the export. The import ignores it unless the importing user may set states "
                  "and asks for it explicitly.")),
    Column("subject_number", "filing", "subject_number", TEXT, importable=False,
           help=_("Issued by the bureau; written by the export, only imported together with the state.")),
    Column("created", "filing", "created_at", DATE, label=_("filing created on"),
           help=_("Only used for new filings (e.g. when moving from an older system); blank: today.")),
    # ----------------------------------------------------------------- subject
    Column("nature", "subject", "nature", CODE, code_model="OrganizerNature", required=True),
    Column("subject_name", "subject", "name", TEXT, required=True),
    Column("certificate_type", "subject", "certificate_type", CODE, code_model="CertificateType", required=True),
    Column("certificate_number", "subject", "certificate_number", TEXT, required=True, personal=True),
    Column("investor", "subject", "investor", TEXT),
    Column("province", "subject", "province", CODE, code_model="Province", required=True,
           help=_("The organizer's domicile; name, code or abbreviation (e.g. 北京市, 11 or 京).")),
    Column("residence_address", "subject", "residence_address", TEXT),
    Column("mailing_address", "subject", "mailing_address", TEXT),
    Column("mailing_address_note", "subject", "mailing_address_note", TEXT),
    Column("responsible_is_legal_representative", "subject", "responsible_is_legal_representative", BOOLEAN),
    Column("subject_responsible_name", "subject", _R + "name", TEXT,
           label=_("organizer's responsible person")),
    Column("subject_responsible_certificate_type", "subject", _R + "certificate_type", CODE,
           code_model="CertificateType", label=_("organizer's responsible person: certificate type")),
    Column("subject_responsible_certificate_number", "subject", _R + "certificate_number", TEXT,
           label=_("organizer's responsible person: certificate number"), personal=True),
    Column("subject_responsible_mobile", "subject", _R + "mobile", TEXT,
           label=_("organizer's responsible person: mobile"), personal=True),
    Column("subject_responsible_landline", "subject", _R + "landline", TEXT,
           label=_("organizer's responsible person: office phone"), personal=True),
    Column("subject_responsible_email", "subject", _R + "email", TEXT,
           label=_("organizer's responsible person: e-mail"), personal=True),
    # ----------------------------------------------------------------- website
    Column("website_name", "website", "name", TEXT, required=True),
    Column("domain", "website", "domain", TEXT, required=True),
    Column("homepage", "website", "homepage", TEXT, help=_("Blank: www. and the domain.")),
    Column("service_kind", "website", "service_kind", CHOICE, choices="ServiceKind"),
    Column("service_contents", "website", "service_contents", CODES, code_model="ServiceContent"),
    Column("pre_approval_categories", "website", "pre_approval_categories", CODES, code_model="PreApprovalCategory"),
    Column("pre_approval_document_number", "website", "pre_approval_document_number", TEXT),
    Column("domain_owner_is_organizer", "website", "domain_owner_is_organizer", BOOLEAN),
    Column("website_number", "website", "filing_number", FILING_NUMBER, label=_("website filing number"),
           importable=False, help=_("Issued by the bureau; written by the export, ignored on import.")),
    Column("website_responsible_name", "website", _R + "name", TEXT,
           label=_("website's responsible person"),
           help=_("All website responsible person columns blank: the organizer's responsible person.")),
    Column("website_responsible_certificate_type", "website", _R + "certificate_type", CODE,
           code_model="CertificateType", label=_("website's responsible person: certificate type")),
    Column("website_responsible_certificate_number", "website", _R + "certificate_number", TEXT,
           label=_("website's responsible person: certificate number"), personal=True),
    Column("website_responsible_mobile", "website", _R + "mobile", TEXT,
           label=_("website's responsible person: mobile"), personal=True),
    Column("website_responsible_landline", "website", _R + "landline", TEXT,
           label=_("website's responsible person: office phone"), personal=True),
    Column("website_responsible_email", "website", _R + "email", TEXT,
           label=_("website's responsible person: e-mail"), personal=True),
    # ----------------------------------------------------------------- access
    Column("access_method", "access", "method", CODE, code_model="AccessMethod",
           help=_("Blank together with the IP addresses: no access record.")),
    Column("server_location", "access", "server_location", TEXT),
    Column("ip_addresses", "access", "ip_addresses", IPS),
)

COLUMNS_BY_KEY = {c.key: c for c in COLUMNS}
IMPORT_COLUMNS = tuple(c for c in COLUMNS if c.importable)


def column(key) -> Column:
    return COLUMNS_BY_KEY[key]


def headers(language="zh-hans") -> list[str]:
    """The header row, in column order."""
    with translation.override(language):
        return [str(c.verbose_name) for c in COLUMNS]


def header_lookup() -> dict[str, Column]:
    """{normalised accepted header: column} for reading a header row."""
    lookup = {}
    for col in COLUMNS:
        for name in col.accepted_headers():
            lookup.setdefault(name, col)
    return lookup


def match_headers(header_row):
    """Map a sheet's header row to columns.

    Returns ``(positions, unknown, duplicates)``: ``{column key: index}``, the header texts that
    name no column, and those naming a column twice.
    """
    lookup = header_lookup()
    positions, unknown, duplicates = {}, [], []
    for index, text in enumerate(header_row):
        if text is None or str(text).strip() == "":
            continue
        col = lookup.get(normalize_header(text))
        if col is None:
            unknown.append(str(text))
        elif col.key in positions:
            duplicates.append(str(text))
        else:
            positions[col.key] = index
    return positions, unknown, duplicates


def split_list(value) -> list[str]:
    """The parts of a CODES/IPS cell (one per line or separated by commas, semicolons, 、)."""
    text = str(value or "")
    for sep in LIST_SEPARATORS[1:]:
        text = text.replace(sep, "\n")
    return [part.strip() for part in text.split("\n") if part.strip()]


def cell_value(col: Column, filing, website, access=None, *, mask_personal=False):
    """The value written to the sheet for ``col`` (codes by label, dates as dates, lists one per line).

    Reads ``filing.subject``, ``filing.owner``, the website's code tables and its many-to-many
    relations: load them with select_related/prefetch_related. ``access`` may be None.
    """
    obj = {"filing": filing, "subject": getattr(filing, "subject", None), "website": website, "access": access}[col.model]
    if obj is None:
        return None
    if col.type == USER:
        owner = filing.owner
        return owner.get_username() if owner else None
    value = getattr(obj, col.field)
    if col.type == CODE:
        return value.name if value is not None else None
    if col.type == CODES:
        return "\n".join(item.name for item in value.all()) or None
    if col.type == CHOICE:
        return str(col.choices_class(value).label) if value else None
    if col.type == BOOLEAN:
        return YES_LABEL if value else NO_LABEL
    if col.type == DATE:
        return timezone.localdate(value) if value else None
    if col.type == IPS:
        return "\n".join(line.strip() for line in (value or "").splitlines() if line.strip()) or None
    if value in ("", None):
        return None
    if col.personal and mask_personal and "certificate_number" in col.field:
        return mask_certificate_number(value)
    return value


__all__ = [
    "BOOLEAN",
    "CHOICE",
    "CODE",
    "CODES",
    "COLUMNS",
    "COLUMNS_BY_KEY",
    "DATE",
    "FILING_NUMBER",
    "IMPORT_COLUMNS",
    "INTEGER",
    "IPS",
    "TEXT",
    "USER",
    "Column",
    "cell_value",
    "column",
    "header_lookup",
    "headers",
    "match_headers",
    "normalize_header",
    "split_list",
]
