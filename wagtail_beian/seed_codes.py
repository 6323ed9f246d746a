"""Initial contents of the code tables (R06b, W04, R09, access methods, provinces).

Used by the data migration; staff edit the tables afterwards. Names are the official Chinese
terms the bureaus use (data, not interface text).
"""

from .rules import identity
from .rules.provinces import PROVINCES

CERTIFICATE_TYPE_NAMES = {
    identity.USCC: "营业执照（统一社会信用代码）",
    identity.ORG_CODE: "组织机构代码证",
    identity.INSTITUTION: "事业单位法人证书",
    identity.SOCIAL_ORG: "社会团体法人登记证书",
    identity.PRIVATE_NON_ENTERPRISE: "民办非企业单位登记证书",
    identity.FOUNDATION: "基金会法人登记证书",
    identity.LAW_FIRM: "律师事务所执业许可证",
    identity.RESIDENT_ID: "居民身份证",
    identity.PASSPORT: "护照",
    identity.HK_MACAU_PERMIT: "港澳居民来往内地通行证",
    identity.TAIWAN_PERMIT: "台湾居民来往大陆通行证",
    identity.HMT_RESIDENCE_PERMIT: "港澳台居民居住证",
    identity.FOREIGN_PERMANENT_RESIDENCE: "外国人永久居留身份证",
}

PERSONAL = sorted(identity.PERSONAL_TYPES, key=list(CERTIFICATE_TYPE_NAMES).index)

#: R06b: (code, name, is_individual, allowed certificate type codes)
ORGANIZER_NATURES = [
    ("enterprise", "企业", False, [identity.USCC]),
    ("government", "政府机关", False, [identity.USCC, identity.ORG_CODE]),
    ("institution", "事业单位", False, [identity.INSTITUTION, identity.USCC]),
    ("social_org", "社会团体", False, [identity.SOCIAL_ORG, identity.USCC]),
    ("private_non_enterprise", "民办非企业单位", False, [identity.PRIVATE_NON_ENTERPRISE, identity.USCC]),
    ("foundation", "基金会", False, [identity.FOUNDATION, identity.USCC]),
    ("law_firm", "律师执业机构", False, [identity.LAW_FIRM, identity.USCC]),
    ("individual", "个人", True, PERSONAL),
]

#: W04: (code, name, keywords that flag a site name)
PRE_APPROVAL_CATEGORIES = [
    ("news", "新闻", "新闻,资讯,时事"),
    ("publishing", "出版", "出版,书刊,期刊"),
    ("education", "教育", "教育,培训,学校,课堂,考试"),
    ("medical", "医疗保健", "医疗,医院,诊所,健康咨询,保健"),
    ("drugs", "药品和医疗器械", "药品,药店,医药,医疗器械"),
    ("culture", "文化", "文化,演出,动漫,游戏"),
    ("broadcasting", "广播电影电视节目", "视频,影视,电影,电视,直播,广播"),
    ("bbs", "电子公告服务", "论坛,社区,BBS,留言板,聊天"),
    ("ride_hailing", "网约车", "网约车,打车,出行"),
    ("finance", "互联网金融", "金融,理财,借贷,贷款,支付"),
    ("tutoring", "校外培训", "校外培训,辅导,家教"),
]

#: R09: (code, name, allowed for individuals)
SERVICE_CONTENTS = [
    ("blog", "博客/个人空间", True),
    ("personal_homepage", "个人主页", True),
    ("enterprise_site", "企业官网", False),
    ("ecommerce", "网上商城/电子商务", False),
    ("forum", "论坛/社区", False),
    ("message_board", "留言板/评论互动", False),
    ("chat", "即时通讯/聊天室", False),
    ("information", "综合门户/信息服务", False),
    ("other", "其他", False),
]

ACCESS_METHODS = [
    ("shared_hosting", "虚拟主机"),
    ("cloud_server", "云服务器"),
    ("dedicated_server", "独立服务器（托管）"),
    ("cdn", "内容分发网络（CDN）"),
    ("other", "其他"),
]


def seed_code_tables(apps, schema_editor=None):
    """Create missing code-table rows; rows staff already edited are left alone."""
    Province = apps.get_model("wagtail_beian", "Province")
    CertificateType = apps.get_model("wagtail_beian", "CertificateType")
    OrganizerNature = apps.get_model("wagtail_beian", "OrganizerNature")
    PreApprovalCategory = apps.get_model("wagtail_beian", "PreApprovalCategory")
    ServiceContent = apps.get_model("wagtail_beian", "ServiceContent")
    AccessMethod = apps.get_model("wagtail_beian", "AccessMethod")

    for order, p in enumerate(PROVINCES):
        Province.objects.get_or_create(code=p.code, defaults={
            "name": p.name, "abbreviation": p.abbreviation, "sort_order": order,
            "legacy_abbreviations": "".join(p.legacy_abbreviations), "requires_landline": p.requires_landline,
        })
    types = {}
    for order, (code, name) in enumerate(CERTIFICATE_TYPE_NAMES.items()):
        personal = code in identity.PERSONAL_TYPES
        types[code], _ = CertificateType.objects.get_or_create(code=code, defaults={
            "name": name, "sort_order": order, "for_organizer": True, "for_person": personal,
        })
    for order, (code, name, individual, allowed) in enumerate(ORGANIZER_NATURES):
        nature, created = OrganizerNature.objects.get_or_create(code=code, defaults={
            "name": name, "is_individual": individual, "sort_order": order,
        })
        if created:
            nature.allowed_certificate_types.set([types[c] for c in allowed])
    for order, (code, name, keywords) in enumerate(PRE_APPROVAL_CATEGORIES):
        PreApprovalCategory.objects.get_or_create(code=code, defaults={
            "name": name, "keywords": keywords, "sort_order": order,
        })
    for order, (code, name, individual) in enumerate(SERVICE_CONTENTS):
        ServiceContent.objects.get_or_create(code=code, defaults={
            "name": name, "allowed_for_individual": individual, "sort_order": order,
        })
    for order, (code, name) in enumerate(ACCESS_METHODS):
        AccessMethod.objects.get_or_create(code=code, defaults={"name": name, "sort_order": order})
