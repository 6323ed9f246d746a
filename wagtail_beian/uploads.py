"""Uploaded scans and attachments: checked by content, cleaned, stored under random names.

One place for every upload (portal documents, ticket attachments, admin). API:

- ``validate_upload(uploaded_file) -> CleanUpload`` raises ``ValidationError`` (message in the
  user's language saying why) for anything but a sane JPEG, PNG or PDF within the size limit.
- ``ScanField``: a form field that returns a ``CleanUpload``.
- ``CleanUpload.as_content_file()``: the cleaned bytes (EXIF stripped) for a FileField.

Filled in by the uploads work.
"""
