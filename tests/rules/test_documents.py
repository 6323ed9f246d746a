"""D01–D05: which scans a filing needs, and the D04 date rule."""

import datetime

from wagtail_beian.rules.documents import (
    DOCUMENT_KINDS,
    DOMAIN_AUTHORIZATION,
    DOMAIN_CERTIFICATE,
    ID_CARD_BACK,
    ID_CARD_FRONT,
    LEGAL_REP_AUTHORIZATION,
    ONSITE_PHOTO,
    ORGANIZER_CERTIFICATE,
    PASSPORT_PHOTO_PAGE,
    PRE_APPROVAL,
    SECURITY_AGREEMENT,
    VERIFICATION_SHEET,
    RequiredDocument,
    RequirementInput,
    WebsiteRequirementInput,
    check_document_dates,
    missing_documents,
    required_documents,
)

D = datetime.date


def kinds(docs, mandatory=True):
    return {(d.kind, d.website_key) for d in docs if d.mandatory == mandatory}


def site(key, owner=True, pre=False):
    return WebsiteRequirementInput(key=key, domain_owner_is_organizer=owner, needs_pre_approval=pre)


def test_document_kinds_cover_every_code_once():
    codes = [code for code, _label in DOCUMENT_KINDS]
    assert len(codes) == len(set(codes)) == 12
    assert all(str(label) for _code, label in DOCUMENT_KINDS)


def test_d01_enterprise_documents():
    docs = required_documents(
        RequirementInput(
            individual=False,
            responsible_is_legal_representative=True,
            responsible_certificate_type="resident_id",
            websites=(site(1), site(2)),
        )
    )
    assert kinds(docs) == {
        (ORGANIZER_CERTIFICATE, None),
        (ID_CARD_FRONT, None),
        (ID_CARD_BACK, None),
        (SECURITY_AGREEMENT, None),
        (VERIFICATION_SHEET, 1),
        (DOMAIN_CERTIFICATE, 1),
        (VERIFICATION_SHEET, 2),
        (DOMAIN_CERTIFICATE, 2),
    }
    # The on-site photo is listed without the asterisk in D01.
    assert kinds(docs, mandatory=False) == {(ONSITE_PHOTO, None)}
    assert {d.rule for d in docs} == {"D01"}


def test_d01_r05_responsible_not_legal_representative_needs_authorisation_letter():
    docs = required_documents(
        RequirementInput(
            individual=False, responsible_is_legal_representative=False, websites=(site("a"),)
        )
    )
    letter = [d for d in docs if d.kind == LEGAL_REP_AUTHORIZATION]
    assert letter == [RequiredDocument(LEGAL_REP_AUTHORIZATION, None, True, "R05")]


def test_d01_passport_holder_uploads_photo_page_instead_of_id_card():
    docs = required_documents(
        RequirementInput(
            individual=False, responsible_certificate_type="passport", websites=(site(1),)
        )
    )
    assert (PASSPORT_PHOTO_PAGE, None) in kinds(docs)
    assert not {ID_CARD_FRONT, ID_CARD_BACK} & {d.kind for d in docs}


def test_d02_individual_documents():
    docs = required_documents(
        RequirementInput(
            individual=True,
            # Ignored for individuals: the person is his own responsible person.
            responsible_is_legal_representative=False,
            responsible_certificate_type="resident_id",
            websites=(site(0),),
        )
    )
    assert kinds(docs) == {
        (ID_CARD_FRONT, None),
        (ID_CARD_BACK, None),
        (SECURITY_AGREEMENT, None),
        (VERIFICATION_SHEET, 0),
        (DOMAIN_CERTIFICATE, 0),
    }
    assert kinds(docs, mandatory=False) == {(ONSITE_PHOTO, None)}
    assert {d.rule for d in docs} == {"D02"}


def test_d02_individual_with_passport():
    docs = required_documents(
        RequirementInput(
            individual=True, responsible_certificate_type="passport", websites=(site(0),)
        )
    )
    assert (PASSPORT_PHOTO_PAGE, None) in kinds(docs)
    assert ORGANIZER_CERTIFICATE not in {d.kind for d in docs}


def test_d03_domain_of_someone_else_needs_authorisation_letter_instead_of_certificate():
    docs = required_documents(
        RequirementInput(individual=False, websites=(site(1, owner=False), site(2, owner=True)))
    )
    assert (DOMAIN_AUTHORIZATION, 1) in kinds(docs)
    assert (DOMAIN_CERTIFICATE, 1) not in kinds(docs)
    assert (DOMAIN_CERTIFICATE, 2) in kinds(docs)
    assert [d.rule for d in docs if d.kind == DOMAIN_AUTHORIZATION] == ["D03"]


def test_w04_pre_approval_document_per_website():
    docs = required_documents(
        RequirementInput(individual=False, websites=(site(1, pre=True), site(2)))
    )
    assert [(d.kind, d.website_key, d.rule) for d in docs if d.kind == PRE_APPROVAL] == [
        (PRE_APPROVAL, 1, "W04")
    ]


def test_d05_missing_documents_of_an_old_filing():
    # An approved filing from before scans were required: the verification list shows
    # exactly what still has to be uploaded.
    required = required_documents(RequirementInput(individual=False, websites=(site(7), site(8))))
    present = [(ORGANIZER_CERTIFICATE, None), (VERIFICATION_SHEET, 7), (DOMAIN_CERTIFICATE, "7")]
    missing = {(d.kind, d.website_key) for d in missing_documents(required, present)}
    assert missing == {
        (ID_CARD_FRONT, None),
        (ID_CARD_BACK, None),
        (SECURITY_AGREEMENT, None),
        (VERIFICATION_SHEET, 8),
        (DOMAIN_CERTIFICATE, 8),
    }
    # The optional photo only shows up when asked for.
    all_missing = missing_documents(required, present, mandatory_only=False)
    assert (ONSITE_PHOTO, None) in {(d.kind, d.website_key) for d in all_missing}


def test_d05_unattached_upload_counts_for_a_single_website_only():
    one = required_documents(RequirementInput(individual=True, websites=(site(1),)))
    two = required_documents(RequirementInput(individual=True, websites=(site(1), site(2))))
    present = [(ID_CARD_FRONT, None), (ID_CARD_BACK, None), (SECURITY_AGREEMENT, None),
               (VERIFICATION_SHEET, None), (DOMAIN_CERTIFICATE, None)]
    assert missing_documents(one, present) == []
    assert {(d.kind, d.website_key) for d in missing_documents(two, present)} == {
        (VERIFICATION_SHEET, 1), (VERIFICATION_SHEET, 2),
        (DOMAIN_CERTIFICATE, 1), (DOMAIN_CERTIFICATE, 2),
    }


def test_d04_same_dates_on_or_after_creation_pass():
    day = D(2026, 11, 20)
    dated = {VERIFICATION_SHEET: day, SECURITY_AGREEMENT: day, ONSITE_PHOTO: day,
             ID_CARD_FRONT: D(2010, 1, 1)}  # other kinds are not part of D04
    assert check_document_dates(dated, filing_created=day) == []
    assert check_document_dates(dated, filing_created=D(2026, 11, 1)) == []


def test_d04_dates_differ_flagged():
    problems = check_document_dates(
        {VERIFICATION_SHEET: D(2026, 11, 20), SECURITY_AGREEMENT: D(2026, 11, 20),
         ONSITE_PHOTO: D(2026, 11, 21)},
        filing_created=D(2026, 11, 18),
    )
    assert [(p.kind, p.code) for p in problems] == [(ONSITE_PHOTO, "dates_differ")]
    assert "2026-11-21" in problems[0].message and "2026-11-20" in problems[0].message
    assert problems[0].suggestion


def test_d04_verification_sheet_sets_the_reference_date():
    problems = check_document_dates(
        [(VERIFICATION_SHEET, 1, D(2026, 11, 22)), (SECURITY_AGREEMENT, None, D(2026, 11, 20)),
         (ONSITE_PHOTO, None, D(2026, 11, 20))],
        filing_created=D(2026, 11, 1),
    )
    assert sorted((p.kind, p.code) for p in problems) == [
        (ONSITE_PHOTO, "dates_differ"), (SECURITY_AGREEMENT, "dates_differ")]


def test_d04_date_before_creation_flagged():
    day = D(2026, 11, 10)
    problems = check_document_dates(
        {VERIFICATION_SHEET: day, SECURITY_AGREEMENT: day, ONSITE_PHOTO: day},
        filing_created=D(2026, 11, 12),
    )
    assert sorted(p.kind for p in problems) == sorted(
        [VERIFICATION_SHEET, SECURITY_AGREEMENT, ONSITE_PHOTO]
    )
    assert {p.code for p in problems} == {"before_creation"}
    assert "2026-11-12" in problems[0].message


def test_d04_missing_date_flagged_not_crashing():
    problems = check_document_dates(
        {VERIFICATION_SHEET: None, SECURITY_AGREEMENT: "garbage", ONSITE_PHOTO: D(2026, 1, 1)},
        filing_created=D(2026, 1, 1),
    )
    assert sorted((p.kind, p.code) for p in problems) == [
        (SECURITY_AGREEMENT, "date_missing"), (VERIFICATION_SHEET, "date_missing")]
