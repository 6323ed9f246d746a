"""Form fields of ticket forms: several scans in one input, each checked by the uploads module."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from ..uploads import validate_upload

MAX_FILES = 10


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleScanField(forms.FileField):
    """Any number of scans (JPEG, PNG, PDF) in one ``<input type=file multiple>``.

    Returns a list of ``wagtail_beian.uploads.CleanUpload`` (content checked by magic bytes, size
    limited, EXIF stripped); a bad file is refused with the uploads module's reason and its name.
    """

    widget = MultipleFileInput

    def __init__(self, *args, max_files=MAX_FILES, **kwargs):
        self.max_files = max_files
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)
        self.widget.attrs.setdefault("accept", "image/jpeg,image/png,application/pdf")

    def clean(self, data, initial=None):
        files = [f for f in (data if isinstance(data, (list, tuple)) else [data]) if f]
        if not files:
            if self.required:
                raise ValidationError(self.error_messages["required"], code="required")
            return []
        if len(files) > self.max_files:
            raise ValidationError(
                _("Upload at most %(max)s files at a time."), code="too_many_files", params={"max": self.max_files}
            )
        cleaned, errors = [], []
        for uploaded in files:
            try:
                cleaned.append(validate_upload(uploaded))
            except ValidationError as error:
                name = getattr(uploaded, "name", "") or "?"
                errors.extend(
                    ValidationError(_("%(name)s: %(problem)s") % {"name": name, "problem": m}, code="upload")
                    for m in error.messages
                )
        if errors:
            raise ValidationError(errors)
        return cleaned
