"""Service-support tickets (服务支持): request types as data, forms, services, the filing-password crypto.

The models live in ``wagtail_beian.models.tickets`` (Django models belong to the app's models
package); the staff views in ``wagtail_beian.admin.tickets``, the customer's in
``wagtail_beian.portal.tickets``.
"""
