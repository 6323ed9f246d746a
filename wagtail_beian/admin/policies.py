"""Permission policies: who may do what with which filing-related object in the admin.

Wagtail's generic views ask the policy registered for the model; these policies add the
per-object rules (F01 editing, no deletion of records) and the querysets views must use.
"""

from wagtail.permission_policies import ModelPermissionPolicy
from wagtail import hooks
from wagtail.permissions import policy_registry, register_permission_policy

from .. import permissions as perms
from ..models import Filing


def policy_for(model):
    """The permission policy registered for ``model`` (wagtail_hooks registers the app's)."""
    return policy_registry.get_by_type(model)


def staff_filings(user):
    """Filings this staff user may see (all of them with view permission, none otherwise); every
    admin view and the export command read filings through this."""
    return policy_registry.get_by_type(Filing).instances_user_has_permission_for(user, "view")


def _filing_of(instance):
    return instance if isinstance(instance, Filing) else getattr(instance, "filing", None)


class ModelWidePolicyMixin:
    """A policy decided for the model as a whole: nobody takes the ``refused_actions`` here (records
    are made elsewhere and never deleted); any other action needs ``permission`` (a permission name
    such as ``"wagtail_beian.handle_ticket"``), or, when it is None, the policy's own model permission
    for that action. Every instance is then allowed exactly when the model is: all or nothing."""

    refused_actions = ()
    permission = None

    def user_has_permission(self, user, action):
        if action in self.refused_actions:
            return False
        if self.permission is None:
            return super().user_has_permission(user, action)
        return perms.has_perm(user, self.permission)

    def user_has_permission_for_instance(self, user, action, instance):
        return self.user_has_permission(user, action)

    def instances_user_has_permission_for(self, user, action):
        if self.user_has_permission(user, action):
            return self.model._default_manager.all()
        return self.model._default_manager.none()


class FilingPermissionPolicy(ModelWidePolicyMixin, ModelPermissionPolicy):
    """Filings come from customers and imports, and are never deleted (the audit trail stays)."""

    refused_actions = ("add", "delete")


class FilingPartPermissionPolicy(FilingPermissionPolicy):
    """Subjects, websites, access records, documents: editable only while the filing is (F01)."""

    def user_has_permission_for_instance(self, user, action, instance):
        if not self.user_has_permission(user, action):
            return False
        if action == "change":
            filing = _filing_of(instance)
            if filing is None and hasattr(instance, "website"):
                filing = instance.website.filing
            return filing is not None and filing.can_edit(user)
        return True


class AppViewSetMixin:
    """A viewset of one of the app's models brings what Wagtail must know of that model.

    :meth:`register_app_hooks` (called once from ``wagtail_hooks.py``) registers the model's
    permission policy (``permission_policy_class``, with Wagtail 8's ``register_permission_policy``)
    and the log actions of its history (:meth:`register_log_actions`). The permissions shown in
    the group editor come from Wagtail's own ``get_permissions_to_register``, which a viewset
    narrows where the model's default add/change/delete mean nothing here.
    """

    permission_policy_class = None

    @classmethod
    def register_app_hooks(cls):
        if cls.permission_policy_class is not None:
            register_permission_policy(cls.model, cls.permission_policy_class(cls.model))
        hooks.register("register_log_actions", cls.register_log_actions)

    @classmethod
    def register_log_actions(cls, actions):
        """Register the log actions this model's history shows (none beyond Wagtail's own by default)."""
