"""Building real spreadsheet files (xlsx with openpyxl, csv) for the import tests."""

import csv
import io

import openpyxl

from tests.factories import valid_resident_id, valid_uscc
from wagtail_beian.spreadsheets.columns import headers


def filing_row(n, **overrides):
    """One valid sheet row (Chinese headers → values) for a new enterprise filing with one website."""
    row = {
        "客户": "customer-a",
        "主办单位性质": "企业",
        "主办单位名称": f"北京导入科技有限公司{n}",
        "证件类型": "营业执照（统一社会信用代码）",
        "证件号码": valid_uscc(70000 + n),
        "投资者或上级主管单位": f"北京导入科技有限公司{n}",
        "省份": "北京市",
        "证件住所": "北京市海淀区中关村大街27号",
        "通讯地址": "北京市海淀区中关村大街27号1101室",
        "负责人为法定代表人": "是",
        "organizer's responsible person": f"王{n}",
        "organizer's responsible person: certificate type": "居民身份证",
        "organizer's responsible person: certificate number": valid_resident_id(90000 + n),
        "organizer's responsible person: mobile": f"139{n:08d}",
        "organizer's responsible person: office phone": "010-62345678",
        "organizer's responsible person: e-mail": f"boss{n}@example.com",
        "网站名称": f"导入技术文档{n}",
        "网站域名": f"import-{n}.cn",
        "接入方式": "云服务器",
        "服务器放置地": "北京",
        "IP地址": f"101.201.{n // 250 % 250}.{n % 250 + 1}",
    }
    row.update(overrides)
    return row


def xlsx_bytes(rows, header=None, *, mutate=None):
    header = header or list(rows[0]) if rows else header
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append([row.get(h) for h in header])
    if mutate:
        mutate(sheet)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_bytes(rows, header=None, encoding="utf-8-sig"):
    header = header or list(rows[0])
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    for row in rows:
        writer.writerow(["" if row.get(h) is None else row.get(h) for h in header])
    return buffer.getvalue().encode(encoding)


def full_header():
    return headers()
