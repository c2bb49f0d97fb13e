"""``heedful createuser``: validates its input (exit 2) and creates staff with a role."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from heedful.core.models import User


def create(*args: str) -> str:
    out = io.StringIO()
    call_command("createuser", *args, stdout=out)
    return out.getvalue()


def test_creates_a_rep_reporting_to_a_manager(db, monkeypatch) -> None:  # noqa: ANN001
    # given
    monkeypatch.delenv("HEEDFUL_PASSWORD", raising=False)
    create("boss", "--role", "manager", "--password", "a-long-secret-1")
    # when
    create("alex", "--role", "rep", "--manager", "boss", "--password", "another-secret-2",
           "--email", "Alex@Vendor.example", "--full-name", "Alex Rivera")
    # then
    alex = User.objects.get(username="alex")
    assert alex.role == "rep" and alex.manager.username == "boss"
    assert alex.email == "alex@vendor.example" and alex.full_name == "Alex Rivera"
    assert alex.check_password("another-secret-2")
    assert not alex.is_staff and not alex.is_superuser


def test_admin_role_is_staff_and_superuser(db) -> None:  # noqa: ANN001
    create("root", "--role", "admin", "--password", "a-long-secret-1")
    root = User.objects.get(username="root")
    assert root.is_staff and root.is_superuser and root.role == "admin"


def test_password_from_environment(db, monkeypatch) -> None:  # noqa: ANN001
    monkeypatch.setenv("HEEDFUL_PASSWORD", "from-the-environment")
    create("env", "--role", "rep")
    assert User.objects.get(username="env").check_password("from-the-environment")


def test_without_password_and_terminal_the_password_is_unusable(db, monkeypatch) -> None:  # noqa: ANN001
    monkeypatch.delenv("HEEDFUL_PASSWORD", raising=False)
    monkeypatch.setattr("sys.stdin", io.StringIO())
    output = create("nopass", "--role", "executive")
    assert not User.objects.get(username="nopass").has_usable_password()
    assert "cannot log in" in output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["x", "--role", "boss"], "--role 'boss'"),
        (["x", "--role", "rep", "--manager", "nobody"], "--manager 'nobody'"),
        (["x", "--role", "rep", "--email", "not-an-email", "--password", "long-enough-1"],
         "--email"),
        (["existing", "--role", "rep", "--password", "long-enough-1"], "already exists"),
        (["x", "--role", "rep", "--password", "short"], "Password refused"),
    ],
)
def test_bad_input_exits_2_and_creates_nothing(db, args: list[str], message: str) -> None:  # noqa: ANN001
    # given
    User.objects.create(username="existing", role="rep")
    # when
    with pytest.raises(CommandError) as error:
        create(*args)
    # then
    assert error.value.returncode == 2
    assert message in str(error.value)
    assert list(User.objects.values_list("username", flat=True)) == ["existing"]
