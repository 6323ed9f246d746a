"""The admin login form with its password label translated (Wagtail 8.0's label is the field name).

Set ``WAGTAILADMIN_USER_LOGIN_FORM = "wagtail_beian.admin.auth.LoginForm"`` (the sandbox does).
"""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms.auth import LoginForm as WagtailLoginForm


class LoginForm(WagtailLoginForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["password"].label = _("Password")
