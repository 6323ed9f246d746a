"""Customer sign-up for the sandbox (a hosting company uses its own member system)."""

from django import forms
from django.contrib.auth import get_user_model, login
from django.contrib.auth.forms import UserCreationForm
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _


class SignUpForm(UserCreationForm):
    email = forms.EmailField(label=_("E-mail"), help_text=_("Notifications about your filings go here."))

    class Meta(UserCreationForm.Meta):
        model = get_user_model()
        fields = ("username", "email")


def signup(request):
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        return redirect("wagtail_beian_portal:filing_list")
    return TemplateResponse(request, "registration/signup.html", {"form": form}, status=400 if form.errors else 200)
