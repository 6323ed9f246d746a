"""Take the README's screenshots (docs/images/) from a running sandbox, in Chromium, in Chinese.

    make run                                   # in one terminal; note the clerk's password it prints
    .venv/bin/python sandbox/screenshots.py --clerk-password <printed password>

Uses Debian's chromium through Playwright (never ``playwright install``), like the browser tests.
"""

import argparse
import os
from pathlib import Path

from playwright.sync_api import sync_playwright

OUT = Path(__file__).resolve().parent.parent / "docs" / "images"
CHROMIUM = "/usr/bin/chromium"
CUSTOMER, CUSTOMER_PASSWORD = "customer1", "customer-pass-1"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://127.0.0.1:8000")
    parser.add_argument("--clerk", default="clerk")
    parser.add_argument("--clerk-password", required=True)
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("LANGUAGE", "zh_CN")  # Chromium's own widgets in Chinese
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu", "--lang=zh-CN"])
        staff = browser.new_page(viewport={"width": 1280, "height": 860}, locale="zh-CN")
        staff.goto(args.url + "/admin/login/")
        staff.fill("#id_username", args.clerk)
        staff.fill("#id_password", args.clerk_password)
        staff.click("button[type=submit]")
        staff.goto(args.url + "/admin/beian/filings/")
        staff.wait_for_load_state("networkidle")
        staff.screenshot(path=OUT / "admin-filings.png")
        customer = browser.new_page(viewport={"width": 390, "height": 844}, locale="zh-CN", device_scale_factor=2)
        customer.goto(args.url + "/accounts/login/")
        customer.get_by_label("用户名").fill(CUSTOMER)
        customer.get_by_label("密码").fill(CUSTOMER_PASSWORD)
        customer.get_by_role("button", name="登录").click()
        customer.wait_for_load_state("networkidle")
        customer.screenshot(path=OUT / "portal-my-filings.png")
        browser.close()
    print("written:", *sorted(p.name for p in OUT.glob("*.png")))


if __name__ == "__main__":
    main()
