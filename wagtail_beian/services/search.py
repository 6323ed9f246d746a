"""Find filings by what a clerk has at hand: organizer name, certificate number, domain in any
spelling (IDN or punycode, with or without www.), or a filing number (subject or website)."""

import unicodedata

import idna
from django.core.exceptions import ValidationError
from django.db.models import Q

from ..models import Subject, Website
from ..rules.numbers import parse_filing_number


def fold_search_term(term):
    return unicodedata.normalize("NFKC", term).strip()


def ascii_domain(term):
    text = term.lower().removeprefix("http://").removeprefix("https://").split("/")[0]
    text = text.replace("。", ".")
    try:
        return idna.encode(text, uts46=True).decode()
    except (idna.IDNAError, UnicodeError, ValueError):
        return text


def filing_search_q(term):
    """A Q over Filing matching the search term (empty Q for an empty term)."""
    term = fold_search_term(term)
    if not term:
        return Q()
    compact = "".join(term.split()).upper()
    domain = ascii_domain(term)
    subjects = Subject.objects.filter(
        Q(name__icontains=term) | Q(certificate_number__icontains=compact)
        | Q(responsible_name__icontains=term)
    ).values("filing_id")
    websites = Website.objects.filter(
        Q(domain__icontains=domain.removeprefix("www.")) | Q(name__icontains=term)
    ).values("filing_id")
    query = Q(pk__in=subjects) | Q(pk__in=websites) | Q(subject_number__icontains=term)
    try:
        number = parse_filing_number(term)
    except ValidationError:
        pass
    else:
        query |= Q(subject_number=number.subject_number) | Q(amends__subject_number=number.subject_number)
    if term.isdigit():
        query |= Q(pk=int(term))
    return query


def search_filings(queryset, term):
    query = filing_search_q(term)
    return queryset.filter(query) if query else queryset


__all__ = ["filing_search_q", "search_filings"]
