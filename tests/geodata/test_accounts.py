"""Local accounts: `envmap user …` as an administrator types it, hashes only, sign-in rate limit and log."""

from __future__ import annotations

import datetime as dt

import pytest
from click.testing import CliRunner

from geodata import accounts
from geodata.cli import main
from geodata.errors import EnvmapError, SignInRefused
from geodata.store import open_store

GOOD = "Huanbao2023!"


@pytest.fixture
def run(db_path, monkeypatch):
    monkeypatch.setenv("ENVMAP_SAMPLES", "0")

    def invoke(*args: str, input: str | None = None):  # noqa: A002
        return CliRunner().invoke(main, list(args), input=input, catch_exceptions=False)

    return invoke


def test_user_add_reads_the_password_twice_from_stdin_and_keeps_only_a_hash(run):
    result = run("user", "add", "张三", "--role", "reporter", "--unit", "晋城市生态环境局", input=f"{GOOD}\n{GOOD}\n")
    assert result.exit_code == 0, result.output
    assert "已添加账户 张三（填报），所属单位：晋城市生态环境局" in result.output
    record = open_store().user_record("张三")
    assert record["password_hash"].startswith("$argon2id$") and GOOD not in str(record)
    assert record["units"] == "晋城市生态环境局" and record["created_by"].startswith("cli")
    listed = run("user", "list")
    assert "张三" in listed.output and "reporter（填报）" in listed.output and "$argon2" not in listed.output
    assert open_store().audit_log()["action"].iloc[0] == "add_user"


@pytest.mark.parametrize(("args", "stdin", "message"), [
    (["--role", "supervisor"], f"{GOOD}\nHuanbao2024!\n", "两次输入的口令不一致"),
    (["--role", "supervisor"], f"{GOOD}\n", "没有从标准输入读到两行口令"),
    (["--role", "supervisor"], "short1\nshort1\n", "口令太弱"),
    (["--role", "supervisor"], "lisi2023lisi\nlisi2023lisi\n", "不能包含账户名"),
    (["--role", "reporter"], f"{GOOD}\n{GOOD}\n", "填报账户必须属于至少一个单位"),
    (["--role", "reporter", "--unit", "市生态环境局"], f"{GOOD}\n{GOOD}\n", "没有写明所属辖区"),
])
def test_user_add_refusals_say_why_and_store_nothing(run, args, stdin, message):
    name = "lisi"
    result = run("user", "add", name, *args, input=stdin)
    assert result.exit_code == 1
    assert message in result.output and "Traceback" not in result.output
    assert open_store().user_record(name) is None


def test_a_bare_unit_takes_the_jurisdiction_option_and_labels_are_understood(run):
    assert run("user", "add", "王五", "--role", "reporter", "--unit", "市生态环境局", "--jurisdiction", "晋城市",
               "--unit", "县水利局（陵川县）", input=f"{GOOD}\n{GOOD}\n").exit_code == 0
    assert open_store().user_record("王五")["units"] == "晋城市生态环境局；陵川县水利局"


def test_a_second_account_of_the_same_name_is_refused(run):
    assert run("user", "add", "赵六", "--role", "viewer", input=f"{GOOD}\n{GOOD}\n").exit_code == 0
    again = run("user", "add", "赵六", "--role", "admin", input=f"{GOOD}\n{GOOD}\n")
    assert again.exit_code == 1 and "账户“赵六”已存在" in again.output
    assert open_store().user_record("赵六")["role"] == "viewer"


def test_passwd_disable_enable(run):
    run("user", "add", "钱七", "--role", "supervisor", input=f"{GOOD}\n{GOOD}\n")
    store = open_store()
    assert accounts.sign_in(store, "钱七", GOOD).role == "supervisor"
    assert run("user", "passwd", "钱七", input="Xinkouling2024\nXinkouling2024\n").exit_code == 0
    with pytest.raises(SignInRefused, match="账户名或口令不正确"):
        accounts.sign_in(store, "钱七", GOOD)
    assert accounts.sign_in(store, "钱七", "Xinkouling2024").name == "钱七"
    assert run("user", "disable", "钱七").exit_code == 0
    with pytest.raises(SignInRefused, match="已停用"):
        accounts.sign_in(store, "钱七", "Xinkouling2024")
    assert "已停用" in run("user", "list").output
    assert run("user", "enable", "钱七").exit_code == 0
    assert accounts.sign_in(store, "钱七", "Xinkouling2024").name == "钱七"
    missing = run("user", "passwd", "没有这个人", input=f"{GOOD}\n{GOOD}\n")
    assert missing.exit_code == 1 and "没有名为“没有这个人”的账户" in missing.output


def test_failed_sign_ins_are_logged_and_rate_limited(run, monkeypatch):
    monkeypatch.setenv("ENVMAP_SIGNIN_MAX_FAILURES", "3")
    monkeypatch.setenv("ENVMAP_SIGNIN_LOCK_MINUTES", "15")
    run("user", "add", "孙八", "--role", "reporter", "--unit", "陵川县水利局", input=f"{GOOD}\n{GOOD}\n")
    store = open_store()
    version = store.data_version()
    for _ in range(3):
        with pytest.raises(SignInRefused, match="账户名或口令不正确"):
            accounts.sign_in(store, "孙八", "wrong-password-1", client="10.0.0.8")
    with pytest.raises(SignInRefused, match="暂停登录 15 分钟"):
        accounts.sign_in(store, "孙八", GOOD, client="10.0.0.8")  # even the right password, while locked
    log = store.sign_ins("孙八")
    assert list(log["outcome"]) == ["locked", "wrong_password", "wrong_password", "wrong_password"]
    assert set(log["client"]) == {"10.0.0.8"}
    later = dt.datetime.now(dt.UTC) + dt.timedelta(minutes=16)
    assert accounts.sign_in(store, "孙八", GOOD, now=later).name == "孙八"  # the window passed
    assert store.data_version() == version  # logging sign-ins does not refresh every cache
    with pytest.raises(SignInRefused, match="账户名或口令不正确"):  # an unknown name reads the same
        accounts.sign_in(store, "无此人", GOOD)
    assert store.sign_ins("无此人")["outcome"].tolist() == ["unknown_user"]
    shown = run("user", "sign-ins", "--name", "孙八")
    assert shown.exit_code == 0 and "locked" in shown.output and "wrong_password" in shown.output


def test_sessions_expire_after_inactivity(monkeypatch):
    monkeypatch.setenv("ENVMAP_SESSION_MINUTES", "20")
    assert accounts.session_minutes() == 20
    assert not accounts.session_expired(1000.0, 1000.0 + 20 * 60)
    assert accounts.session_expired(1000.0, 1000.0 + 20 * 60 + 1)
    monkeypatch.setenv("ENVMAP_SESSION_MINUTES", "zero")
    assert accounts.session_minutes() == 30


def test_a_weak_hash_is_replaced_at_the_next_sign_in(db_path, monkeypatch):
    from argon2 import PasswordHasher

    monkeypatch.setenv("ENVMAP_SAMPLES", "0")
    store = open_store()
    store.add_user("周九", "viewer", [], PasswordHasher(time_cost=1, memory_cost=8, parallelism=1).hash(GOOD), by="test")
    accounts.sign_in(store, "周九", GOOD)
    assert not accounts.needs_rehash(str(store.user_record("周九")["password_hash"]))


@pytest.mark.parametrize(("role", "action", "allowed"), [
    ("viewer", "export", True), ("viewer", "progress", False), ("reporter", "progress", True),
    ("reporter", "close", False), ("supervisor", "close", True), ("supervisor", "import", False),
    ("admin", "import", True), ("admin", "remove_samples", True), ("nobody", "view", False), ("admin", "fly", False),
])
def test_roles_include_what_the_one_below_may_do(role, action, allowed):
    assert accounts.may(role, action) is allowed


def test_names_and_roles_are_checked():
    with pytest.raises(EnvmapError, match="账户名“a”无效"):
        accounts.check_name("a")
    with pytest.raises(EnvmapError, match="角色“boss”无法识别"):
        accounts.check_role("boss")
