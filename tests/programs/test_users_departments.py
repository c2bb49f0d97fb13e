"""Users carry a department and a title, through the one path for users: the users CSV
(and its export), the admin."""

from heedful.core.models import User
from tests.integrations.conftest import run


def test_users_csv_sets_department_and_title(db, write_csv) -> None:  # noqa: ANN001
    # given
    path = write_csv("users.csv", """
        username,role,department,title
        ravi,executive,engineering,VP Engineering
        ana,rep,sales,
    """)
    # when
    result = run("import", "users", str(path))
    # then
    assert result.returncode == 0, result.stderr
    ravi = User.objects.get(username="ravi")
    assert (ravi.department, ravi.title) == ("engineering", "VP Engineering")
    assert User.objects.get(username="ana").department == "sales"


def test_users_csv_refuses_an_unknown_department_and_writes_nothing(
    db, write_csv  # noqa: ANN001
) -> None:
    path = write_csv("users.csv", """
        username,role,department
        ravi,executive,engineering
        ana,rep,astrology
    """)
    result = run("import", "users", str(path))
    assert result.returncode == 2
    assert "users.csv:3: department:" in result.stderr
    assert not User.objects.filter(username__in=["ravi", "ana"]).exists()
