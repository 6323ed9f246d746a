"""The pre-flight check: every rule checkable before submission, as field-level findings."""

import datetime
from dataclasses import replace

import pytest

from wagtail_beian.rules.documents import PRE_APPROVAL, required_documents
from wagtail_beian.rules.preflight import (
    ERROR,
    PRE_APPROVAL_KEYWORDS,
    WARNING,
    DocumentData,
    FilingData,
    Finding,
    SubjectData,
    WebsiteData,
    has_errors,
    requirement_input,
    run_preflight,
)

CREATED = datetime.date(2026, 11, 18)
SIGNED = datetime.date(2026, 11, 20)

COMPANY_ID = "91110000600037341L"  # valid USCC
PERSON_ID = "11010519491231002X"  # valid resident ID (Beijing)
OTHER_PERSON_ID = "440301199003071230"  # valid resident ID (Shenzhen)
JIANGXI_PERSON_ID = "360102198001010013"

PERSONAL = frozenset({"resident_id", "passport", "hk_macau_permit", "taiwan_permit",
                      "hmt_residence_permit", "foreign_permanent_residence"})
REFUSED_TO_INDIVIDUALS = frozenset({"forum", "shop", "chat", "enterprise_site"})


def enterprise_filing(**subject_changes) -> FilingData:
    subject = SubjectData(
        nature_code="enterprise",
        nature_is_individual=False,
        allowed_certificate_types=frozenset({"uscc"}),
        name="北京百度网讯科技有限公司",  # contains 网 and is still a company name
        certificate_type="uscc",
        certificate_number=COMPANY_ID,
        investor="北京百度网讯科技有限公司",  # R02: equal to the name on purpose
        province_code="11",
        residence_address="北京市海淀区上地十街10号",
        mailing_address="北京市海淀区上地十街10号百度大厦2层",
        responsible_name="王五",
        responsible_certificate_type="resident_id",
        responsible_certificate_number=PERSON_ID,
        responsible_is_legal_representative=True,
        responsible_mobile="138 1234 5678",
        responsible_email="beian@example.com",
    )
    subject = replace(subject, **subject_changes)
    websites = (
        WebsiteData(key=1, name="百度搜索", domain="baidu.com", homepage="www.baidu.com",
                    service_content_codes=frozenset({"general"}),
                    individual_refused_content_codes=REFUSED_TO_INDIVIDUALS),
        # W03: another responsible person for the second site.
        WebsiteData(key=2, name="百度地图", domain="百度.中国",
                    responsible_name="赵六", responsible_certificate_type="resident_id",
                    responsible_certificate_number=OTHER_PERSON_ID,
                    responsible_mobile="13900001111", responsible_email="map@example.com"),
    )
    docs = [
        DocumentData("organizer_certificate"),
        DocumentData("id_card_front"),
        DocumentData("id_card_back"),
        DocumentData("security_agreement", None, SIGNED),
        DocumentData("onsite_photo", None, SIGNED),
    ]
    for site in websites:
        docs += [DocumentData("verification_sheet", site.key, SIGNED),
                 DocumentData("domain_certificate", site.key)]
    return FilingData(subject=subject, websites=websites, documents=tuple(docs), created=CREATED)


def individual_filing(**subject_changes) -> FilingData:
    subject = SubjectData(
        nature_code="individual",
        nature_is_individual=True,
        allowed_certificate_types=PERSONAL,
        name="张三",
        certificate_type="resident_id",
        certificate_number=PERSON_ID.lower(),  # R06: x → X
        investor="张三",
        province_code="11",
        residence_address="北京市朝阳区建国路88号",
        mailing_address="北京市朝阳区建国路88号3栋1201室",
        responsible_name="张三",
        responsible_certificate_type="resident_id",
        responsible_certificate_number=PERSON_ID,
        responsible_mobile="+86 13812345678",
        responsible_email="zhangsan@example.com",
    )
    subject = replace(subject, **subject_changes)
    site = WebsiteData(key="s1", name="张三的博客", domain="zhangsan.cn",
                       service_content_codes=frozenset({"blog"}),
                       individual_refused_content_codes=REFUSED_TO_INDIVIDUALS)
    docs = (
        DocumentData("id_card_front"),
        DocumentData("id_card_back"),
        DocumentData("security_agreement", None, SIGNED),
        DocumentData("onsite_photo", None, SIGNED),
        DocumentData("verification_sheet", "s1", SIGNED),
        DocumentData("domain_certificate", "s1"),
    )
    return FilingData(subject=subject, websites=(site,), documents=docs, created=CREATED)


def with_site(data, index=0, **changes):
    sites = list(data.websites)
    sites[index] = replace(sites[index], **changes)
    return replace(data, websites=tuple(sites))


def errors(findings):
    return [f for f in findings if f.severity == ERROR]


def at(findings, field, rule=None, severity=None):
    return [f for f in findings if f.field == field and (rule is None or f.rule == rule)
            and (severity is None or f.severity == severity)]


# --------------------------------------------------------------------- complete filings


def test_complete_enterprise_filing_has_no_findings():
    assert run_preflight(enterprise_filing()) == []


def test_complete_individual_filing_has_no_findings():
    assert run_preflight(individual_filing()) == []


def test_finding_is_field_level_and_serialisable():
    findings = run_preflight(enterprise_filing(certificate_type="resident_id"))
    finding = at(findings, "subject.certificate_type", "R01")[0]
    assert isinstance(finding, Finding)
    assert finding.as_dict() == {
        "field": "subject.certificate_type", "rule": "R01", "severity": "error",
        "message": finding.message, "suggestion": finding.suggestion,
    }
    assert finding.message and finding.suggestion and finding.message != finding.suggestion
    assert has_errors(findings)


def test_errors_come_before_warnings():
    data = with_site(enterprise_filing(name="百度平台"), 0, name="百度搜索")
    findings = run_preflight(replace(data, documents=()))
    severities = [f.severity for f in findings]
    assert WARNING in severities
    assert severities == sorted(severities, key=lambda s: s != ERROR)


# ------------------------------------------------------------------------- subject rules


def test_r01_enterprise_with_resident_id_flagged():
    findings = run_preflight(
        enterprise_filing(certificate_type="resident_id", certificate_number=PERSON_ID)
    )
    assert at(findings, "subject.certificate_type", "R01", ERROR)
    # The number itself is a fine ID card number: only the type is wrong.
    assert not at(findings, "subject.certificate_number")


def test_r01_individual_with_business_licence_flagged():
    findings = run_preflight(
        individual_filing(certificate_type="uscc", certificate_number=COMPANY_ID)
    )
    assert at(findings, "subject.certificate_type", "R01", ERROR)


def test_r01_r06b_nature_without_allowed_types_flagged():
    findings = run_preflight(enterprise_filing(allowed_certificate_types=frozenset()))
    assert at(findings, "subject.nature_code", "R06b", ERROR)


@pytest.mark.parametrize("name", ["百度搜索", "www.baidu.com", "baidu.com", "百度官方网站"])
def test_r01_organizer_name_that_is_a_website_name_flagged(name):
    findings = run_preflight(enterprise_filing(name=name, investor=name))
    assert at(findings, "subject.name", "R01", ERROR)


def test_r01_organizer_name_ending_like_a_site_is_warned():
    findings = run_preflight(enterprise_filing(name="好123导航网", investor="好123导航网"))
    assert at(findings, "subject.name", "R01", WARNING)
    assert not at(findings, "subject.name", "R01", ERROR)


def test_r02_investor_equal_to_name_not_flagged():
    data = enterprise_filing()
    assert data.subject.investor == data.subject.name
    assert not at(run_preflight(data), "subject.investor")


def test_r02_investor_missing_flagged():
    assert at(run_preflight(enterprise_filing(investor="  ")), "subject.investor", "R02", ERROR)


def test_r03_individual_website_responsible_must_be_the_person():
    data = with_site(individual_filing(), 0, responsible_name="李四",
                     responsible_certificate_type="resident_id",
                     responsible_certificate_number=OTHER_PERSON_ID,
                     responsible_mobile="13900001111", responsible_email="li@example.com")
    assert at(run_preflight(data), "websites.0.responsible_name", "R03", ERROR)


def test_r03_individual_website_responsible_repeating_the_person_passes():
    data = with_site(individual_filing(), 0, responsible_name="张三",
                     responsible_certificate_type="resident_id",
                     responsible_certificate_number=PERSON_ID.lower(),
                     responsible_mobile="13812345678", responsible_email="zhangsan@example.com")
    assert run_preflight(data) == []


def test_w03_enterprise_website_responsible_may_differ():
    data = enterprise_filing()
    assert data.websites[1].responsible_name != data.subject.responsible_name
    assert not [f for f in run_preflight(data) if f.field.startswith("websites.1.")]


def test_r04_mailing_address_without_house_number_flagged():
    findings = run_preflight(enterprise_filing(mailing_address="北京市海淀区中关村软件园"))
    assert at(findings, "subject.mailing_address", "R04", ERROR)


def test_r04_mailing_address_without_number_but_with_note_passes():
    findings = run_preflight(enterprise_filing(
        mailing_address="北京市海淀区中关村软件园",
        mailing_address_note="园区内无门牌号，办公楼为园区东门第一栋"))
    assert not at(findings, "subject.mailing_address")


def test_r05_individual_responsible_must_be_self():
    findings = run_preflight(individual_filing(
        responsible_name="李四", responsible_certificate_number=OTHER_PERSON_ID))
    assert at(findings, "subject.responsible_name", "R05", ERROR)
    assert at(findings, "subject.responsible_certificate_number", "R05", ERROR)


def test_r05_enterprise_responsible_not_legal_rep_needs_authorisation_letter():
    data = enterprise_filing(responsible_is_legal_representative=False)
    assert at(run_preflight(data), "documents.legal_rep_authorization", "R05", ERROR)
    data = replace(data, documents=data.documents + (DocumentData("legal_rep_authorization"),))
    assert run_preflight(data) == []


def test_r05_residence_address_and_province_required():
    findings = run_preflight(enterprise_filing(residence_address="", province_code="99"))
    assert at(findings, "subject.residence_address", "R05", ERROR)
    assert at(findings, "subject.province_code", "R05", ERROR)


def test_r06_full_width_and_lower_case_numbers_accepted():
    findings = run_preflight(individual_filing(
        certificate_number="１１０１０５ １９４９１２３１００２ｘ"))
    assert findings == []


def test_r06_bad_checksum_flagged():
    findings = run_preflight(enterprise_filing(
        certificate_number="91110000600037341A",
        responsible_certificate_number="110105194912310021"))
    assert at(findings, "subject.certificate_number", "R06", ERROR)
    assert at(findings, "subject.responsible_certificate_number", "R06", ERROR)


def test_r06_reviewer_override_accepts_bad_uscc_checksum_with_warning():
    findings = run_preflight(enterprise_filing(
        certificate_number="91110000600037341A", certificate_override=True))
    assert not errors(findings)
    assert at(findings, "subject.certificate_number", "R06", WARNING)


def test_r06_override_never_relaxes_a_personal_id():
    findings = run_preflight(individual_filing(
        certificate_number="110105194912310021",
        responsible_certificate_number="110105194912310021",
        certificate_override=True))
    assert at(findings, "subject.certificate_number", "R06", ERROR)


def test_r06b_responsible_person_needs_a_personal_certificate():
    findings = run_preflight(enterprise_filing(
        responsible_certificate_type="uscc", responsible_certificate_number=COMPANY_ID))
    assert at(findings, "subject.responsible_certificate_type", "R01", ERROR)


def test_r06b_responsible_types_come_from_the_code_table():
    data = enterprise_filing(
        responsible_allowed_certificate_types=frozenset({"resident_id"}),
        responsible_certificate_type="passport", responsible_certificate_number="E12345678")
    found = at(run_preflight(data), "subject.responsible_certificate_type", "R01", ERROR)
    assert found


def test_r07_mobile_and_email_required():
    findings = run_preflight(enterprise_filing(responsible_mobile="", responsible_email=""))
    assert at(findings, "subject.responsible_mobile", "R07", ERROR)
    assert at(findings, "subject.responsible_email", "R07", ERROR)
    # Beijing does not require a landline.
    assert not at(findings, "subject.responsible_landline")


def test_r07_invalid_contacts_flagged():
    findings = run_preflight(enterprise_filing(
        responsible_mobile="12345", responsible_email="not-an-address",
        responsible_landline="12345"))
    assert at(findings, "subject.responsible_mobile", "R07", ERROR)
    assert at(findings, "subject.responsible_email", "R07", ERROR)
    assert at(findings, "subject.responsible_landline", "R07", ERROR)


def test_r07_jiangxi_requires_landline():
    data = individual_filing(
        province_code="36", certificate_number=JIANGXI_PERSON_ID,
        responsible_certificate_number=JIANGXI_PERSON_ID,
        residence_address="南昌市东湖区八一大道1号", mailing_address="南昌市东湖区八一大道1号")
    assert at(run_preflight(data), "subject.responsible_landline", "R07", ERROR)
    data = replace(data, subject=replace(data.subject, responsible_landline="0791-88886666"))
    assert run_preflight(data) == []


def test_r09_personal_forum_refused():
    data = with_site(individual_filing(), 0, service_content_codes=frozenset({"blog", "forum"}))
    findings = run_preflight(replace(data, code_names={"forum": "论坛"}))
    found = at(findings, "websites.0.service_content_codes", "R09", ERROR)
    assert found and "论坛" in found[0].message


def test_r09_personal_shop_name_warned():
    data = with_site(individual_filing(), 0, name="张三的小商城")
    assert at(run_preflight(data), "websites.0.name", "R09", WARNING)


def test_r09_enterprise_may_run_a_forum():
    data = with_site(enterprise_filing(), 0, service_content_codes=frozenset({"forum"}))
    assert not [f for f in run_preflight(data) if f.rule == "R09"]


# ------------------------------------------------------------------------- website rules


@pytest.mark.parametrize(
    "domain",
    ["www.zhangsan.cn", "blog.zhangsan.cn", "http://zhangsan.cn/", "1.2.3.4", "zhangsan", ""],
)
def test_w01_bad_domain_flagged(domain):
    data = with_site(individual_filing(), 0, domain=domain)
    assert at(run_preflight(data), "websites.0.domain", "W01", ERROR)


def test_w01_domain_forms_are_folded():
    data = with_site(individual_filing(), 0, domain="ZhangSan.CN.")
    assert run_preflight(data) == []


def test_w01_homepage_must_be_on_the_domain():
    data = with_site(individual_filing(), 0, homepage="www.other.cn")
    assert at(run_preflight(data), "websites.0.homepage", "W01", ERROR)
    for homepage in ("", "www.zhangsan.cn", "https://zhangsan.cn/index.html", "blog.zhangsan.cn"):
        assert run_preflight(with_site(individual_filing(), 0, homepage=homepage)) == [], homepage


def test_w02_same_domain_twice_in_one_filing_flagged():
    data = with_site(enterprise_filing(), 1, domain="Baidu.COM")
    assert at(run_preflight(data), "websites.1.domain", "W02", ERROR)


def test_f08_filing_without_website_flagged():
    data = replace(individual_filing(), websites=())
    assert at(run_preflight(data), "websites", "F08", ERROR)


def test_w04_news_site_without_approval_flagged():
    data = with_site(enterprise_filing(), 0, name="百度新闻")
    found = at(run_preflight(data), "websites.0.name", "W04", ERROR)
    assert found and "新闻" in found[0].message


def test_w04_keywords_come_from_the_code_table():
    assert "论坛" in PRE_APPROVAL_KEYWORDS
    data = with_site(enterprise_filing(), 0, name="百度新闻", pre_approval_keywords=("医疗",))
    assert not at(run_preflight(data), "websites.0.name", "W04")


def test_w04_category_without_document_number_flagged():
    data = with_site(enterprise_filing(), 0, name="百度新闻",
                     pre_approval_category_codes=frozenset({"news"}))
    findings = run_preflight(data)
    assert at(findings, "websites.0.pre_approval_document_number", "W04", ERROR)
    assert at(findings, "documents.1.pre_approval", "W04", ERROR)
    # Not reported twice on the name once the category is chosen.
    assert not at(findings, "websites.0.name", "W04")


def test_w04_site_with_approval_passes():
    data = with_site(enterprise_filing(), 0, name="百度新闻",
                     pre_approval_category_codes=frozenset({"news"}),
                     pre_approval_document_number="京ICP证030173号")
    data = replace(data, documents=data.documents + (DocumentData("pre_approval", 1),))
    assert run_preflight(data) == []


# ------------------------------------------------------------------------------ documents


def test_d01_missing_enterprise_documents_flagged_per_field():
    data = enterprise_filing()
    data = replace(data, documents=tuple(
        d for d in data.documents
        if d.kind != "organizer_certificate"
        and (d.kind, d.website_key) != ("domain_certificate", 2)))
    findings = run_preflight(data)
    assert [f.field for f in findings] == [
        "documents.organizer_certificate", "documents.2.domain_certificate"]
    assert {f.rule for f in findings} == {"D01"}
    # The message names the website by its domain.
    assert "百度.中国" in findings[1].message


def test_d01_onsite_photo_is_not_mandatory():
    data = enterprise_filing()
    data = replace(data, documents=tuple(d for d in data.documents if d.kind != "onsite_photo"))
    assert run_preflight(data) == []


def test_d01_passport_holder_uploads_the_photo_page():
    data = enterprise_filing(responsible_certificate_type="passport",
                             responsible_certificate_number="E12345678")
    assert at(run_preflight(data), "documents.passport_photo_page", "D01", ERROR)


def test_d02_individual_needs_no_organizer_certificate_but_id_card():
    data = individual_filing()
    data = replace(data, documents=tuple(d for d in data.documents if d.kind != "id_card_back"))
    findings = run_preflight(data)
    assert [(f.field, f.rule) for f in findings] == [("documents.id_card_back", "D02")]


def test_d03_domain_of_someone_else_needs_authorisation_letter():
    data = with_site(individual_filing(), 0, domain_owner_is_organizer=False)
    assert [(f.field, f.rule) for f in run_preflight(data)] == [
        ("documents.s1.domain_authorization", "D03")]
    data = replace(data, documents=data.documents + (DocumentData("domain_authorization", "s1"),))
    assert run_preflight(data) == []


def test_d04_dates_differ_flagged():
    data = individual_filing()
    data = replace(data, documents=tuple(
        replace(d, date=SIGNED + datetime.timedelta(days=1)) if d.kind == "onsite_photo" else d
        for d in data.documents))
    assert [(f.field, f.rule) for f in run_preflight(data)] == [("documents.onsite_photo", "D04")]


def test_d04_date_before_creation_flagged():
    data = replace(individual_filing(), created=SIGNED + datetime.timedelta(days=1))
    findings = run_preflight(data)
    assert sorted(f.field for f in findings) == [
        "documents.onsite_photo", "documents.s1.verification_sheet", "documents.security_agreement"]
    assert {f.rule for f in findings} == {"D04"}


def test_d04_undated_document_flagged():
    data = individual_filing()
    data = replace(data, documents=tuple(
        replace(d, date=None) if d.kind == "security_agreement" else d for d in data.documents))
    assert [(f.field, f.rule) for f in run_preflight(data)] == [
        ("documents.security_agreement", "D04")]


# ------------------------------------------------------------------------- robustness


def test_blank_filing_gives_findings_not_exceptions():
    findings = run_preflight(FilingData(subject=SubjectData(), websites=(WebsiteData(),)))
    fields = {f.field for f in findings}
    for expected in ("subject.nature_code", "subject.name", "subject.certificate_type",
                     "subject.investor", "subject.province_code", "subject.mailing_address",
                     "subject.responsible_name", "subject.responsible_mobile",
                     "subject.responsible_email", "websites.0.name", "websites.0.domain"):
        assert expected in fields
    assert all(f.severity == ERROR for f in findings)


def test_none_in_text_fields_does_not_crash():
    subject = SubjectData(name=None, certificate_number=None, mailing_address=None,
                          responsible_mobile=None, allowed_certificate_types=None)
    site = WebsiteData(name=None, domain=None, service_content_codes=None,
                       pre_approval_keywords=None)
    findings = run_preflight(FilingData(subject=subject, websites=(site,),
                                        documents=(DocumentData("verification_sheet", None, "x"),)))
    assert has_errors(findings)


def test_missing_subject_is_reported_not_raised():
    findings = run_preflight(FilingData(subject=None, websites=()))
    assert at(findings, "subject.name") and at(findings, "websites", "F08")


def test_requirement_input_keys_websites_by_key_or_index():
    data = with_site(enterprise_filing(), 0, key=None)
    data = with_site(data, 1, pre_approval_category_codes=frozenset({"news"}))
    inp = requirement_input(data)
    assert [w.key for w in inp.websites] == [0, 2]
    assert [w.needs_pre_approval for w in inp.websites] == [False, True]
    assert [(d.kind, d.website_key) for d in required_documents(inp) if d.kind == PRE_APPROVAL] == [
        (PRE_APPROVAL, 2)]
    # An individual's own certificate decides the scans.
    inp = requirement_input(individual_filing(certificate_type="passport",
                                              responsible_certificate_type="resident_id"))
    assert inp.individual and inp.responsible_certificate_type == "passport"
