"""Forms shared by the admin, the customer portal and any other front end.

One module per aggregate: :mod:`.filings` (subject, website, access), :mod:`.transfers` (access
transfer requests), :mod:`.tickets` (support tickets and replies). The rules live in the models'
``clean()``, in :mod:`wagtail_beian.rules` and in the services; the forms choose the fields, lock
what may not change, and put the services' errors back at their fields.
"""
