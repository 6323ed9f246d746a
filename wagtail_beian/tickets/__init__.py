"""Service-support request types (服务支持) as data: their fields, form fields and validation.

One table (:mod:`.types`) defines every request type and its required fields; the model, the
forms (:mod:`wagtail_beian.forms.tickets`), the services (:mod:`wagtail_beian.services.tickets`),
the admin and the portal read it. :mod:`.formfields` holds the multi-scan form field.
"""
