"""Strings of Wagtail's own admin that its zh-Hans catalog (Wagtail 8.0) leaves in English.

Never imported: ``makemessages`` reads these markers, so the app's catalog (listed before
``wagtail.admin`` in ``INSTALLED_APPS``, whose translations therefore win) carries their Chinese.
Each msgid is Wagtail's, to the letter.
"""

from django.utils.translation import gettext_noop

WAGTAIL_STRINGS = [
    gettext_noop("Search all pages…"),
    gettext_noop("Wagtail %(current_version)s editor guide"),
    gettext_noop("Shortcuts"),
    gettext_noop('There are no %(model_name)s to display. Why not <a href="%(add_url)s">add one</a>?'),
    gettext_noop("Password"),
]
