import pytest

from tests import factories


@pytest.fixture(autouse=True)
def _fresh_workday_overrides():
    """The holiday-override cache must not carry one test's rows into the next."""
    from wagtail_beian.models.codes import invalidate_overrides

    invalidate_overrides()
    yield
    invalidate_overrides()


@pytest.fixture(autouse=True)
def _empty_sms_outbox():
    """The locmem SMS backend's outbox starts empty for each test, like Django's mail.outbox."""
    from wagtail_beian import sms

    sms.outbox.clear()
    yield


@pytest.fixture
def staff_groups(db):
    from wagtail_beian.groups import setup_staff_groups

    return setup_staff_groups()


@pytest.fixture
def customer(db):
    return factories.UserFactory(username="customer-a")


@pytest.fixture
def other_customer(db):
    return factories.UserFactory(username="customer-b")


@pytest.fixture
def clerk(staff_groups):
    user = factories.StaffFactory(username="clerk")
    user.groups.add(staff_groups[0])
    return user


@pytest.fixture
def manager(staff_groups):
    user = factories.StaffFactory(username="manager")
    user.groups.add(staff_groups[1])
    return user


@pytest.fixture
def filing(customer):
    return factories.FilingFactory(owner=customer)
