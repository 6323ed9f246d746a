"""The filing kept here under a typed filing number: what claims (F09) and access transfers (F07)
check a customer's number against, in one place."""

from ..models.filings import TERMINAL_STATES, Filing, FilingKind


def local_filing(number):
    """The live subject filing here with this number's digits (whatever the province character), if any.

    ``number``: a parsed :class:`wagtail_beian.rules.numbers.FilingNumber`.
    """
    return (
        Filing.objects.filter(kind=FilingKind.NEW, subject_number__endswith=f"ICP备{number.digits}号")
        .exclude(state__in=TERMINAL_STATES)
        .select_related("subject__province")
        .first()
    )


def subject_province(filing):
    """The province of the filing's subject, or None when it has no subject or no province."""
    return getattr(getattr(filing, "subject", None), "province", None)


def number_province_matches(number, filing):
    """Whether the number's province character is the subject's (any of the province's
    abbreviations); without a subject province, the filing's own subject number decides."""
    province = subject_province(filing)
    if province is not None:
        return number.province in province.all_abbreviations
    return filing.subject_number.startswith(number.province)
