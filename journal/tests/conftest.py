import pytest
from django.contrib.auth.models import Group


@pytest.fixture
def make_user(django_user_model):
    """A staff account in one of the newsroom's groups."""

    def make(name, group):
        user = django_user_model.objects.create_user(
            username=name, password="a-long-test-password", is_staff=True
        )
        user.groups.add(Group.objects.get(name=group))
        return user

    return make
