"""Account actions: one audit entry each naming the actor, refused for anyone but an admin (a
user's own password excepted), deactivation ends what the user held, and no password or token
reaches the audit log. On SQLite and PostgreSQL."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scenarios_accounts import ACCOUNT_SCENARIOS as SCENARIOS
from scenarios_accounts import PERSON, TOKEN, USER, ready
from sqlalchemy import Engine, select

from attain.accounts.schema import ApiToken, User, WebSession
from attain.accounts.secrets import digest
from attain.accounts.tokens import list_tokens
from attain.accounts.users import UserError, authenticate, find_user
from attain.actions import REGISTRY, Event, NotAllowed, accounts, subscribe
from attain.audit import entries, verify_log
from attain.audit.actor import SYSTEM, Actor
from attain.data.store import get_engine

ADMIN = Actor("ada", "admin")
REFUSED = [Actor("rita", "rep"), Actor("fay", "finance"), Actor("mia", "manager")]


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An empty store, migrated once; each test gets a copy."""
    path = tmp_path_factory.mktemp("accounts") / "template.db"
    get_engine(f"sqlite:///{path}").dispose()
    return path


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def engine(request: pytest.FixtureRequest, tmp_path: Path, sqlite_template: Path) -> Engine:
    if request.param == "sqlite":
        copy = tmp_path / "accounts.db"
        shutil.copy(sqlite_template, copy)
        return get_engine(f"sqlite:///{copy}")
    url: str = request.getfixturevalue("postgres_url")
    return get_engine(url)


def _audit_text(engine: Engine) -> str:
    return json.dumps(
        [[e.action, e.entity_id, e.before, e.after, e.reason] for e in entries(engine, limit=1000)],
        default=str,
    )


def test_the_scenarios_cover_every_account_action() -> None:
    names = {a.name for a in REGISTRY.values() if a.function.__module__ == accounts.__name__}
    assert names == set(SCENARIOS)
    assert all(REGISTRY[n].capability == "users.manage" for n in names)


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_each_action_writes_one_entry_naming_the_actor(engine: Engine, name: str) -> None:
    ready(engine)
    before = entries(engine, limit=1000)
    told: list[Event] = []
    unsubscribe = subscribe(name, told.append)
    try:
        SCENARIOS[name](engine, ADMIN)
    finally:
        unsubscribe()
    after = entries(engine, limit=1000)
    new = after[: len(after) - len(before)]
    assert [(e.action, e.actor, e.role) for e in new] == [(name, "ada", "admin")]
    assert [(e.action, e.actor, e.seq) for e in told] == [(name, ADMIN, new[0].seq)]
    assert verify_log(engine)[1] == []


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_anyone_but_an_admin_is_refused_and_nothing_changes(engine: Engine, name: str) -> None:
    ready(engine)
    users_before = _users(engine)
    tokens_before = list_tokens(engine)
    for actor in REFUSED:
        with pytest.raises(NotAllowed):
            SCENARIOS[name](engine, actor)
    assert entries(engine) == []
    assert _users(engine) == users_before
    assert list_tokens(engine) == tokens_before


def _users(engine: Engine) -> list[tuple[object, ...]]:
    with engine.connect() as conn:
        return [tuple(r) for r in conn.execute(select(User).order_by(User.id)).all()]


def test_a_user_sets_their_own_password(engine: Engine) -> None:
    ready(engine)
    for me in (Actor(USER, "rep"), Actor(PERSON, "rep")):  # by username, or as the web names reps
        accounts.set_password(engine, me, USER, f"mine-{me.name}-123")
        assert authenticate(engine, USER, f"mine-{me.name}-123") is not None
    with pytest.raises(NotAllowed):
        accounts.set_password(engine, Actor("acct-other", "rep"), USER, "not-yours-123")
    assert [e.actor for e in entries(engine)] == [PERSON, USER]


def test_no_password_token_or_hash_reaches_the_audit_log(engine: Engine) -> None:
    ready(engine)
    accounts.add_user(engine, ADMIN, "sam", "sam-secret-pass-1", "finance")
    accounts.set_password(engine, ADMIN, "sam", "sam-second-pass-2")
    token = accounts.new_api_token(engine, ADMIN, "sam", "reports")
    accounts.set_active(engine, ADMIN, "sam", False)
    with engine.connect() as conn:
        hashes = list(conn.execute(select(User.password_hash)).scalars())
    text = _audit_text(engine)
    assert "sam" in text and "reports" in text  # the entries say who and what
    for secret in ["sam-secret-pass-1", "sam-second-pass-2", token, digest(token), *hashes]:
        assert secret not in text
    assert not re.search(r"att_[\w-]{20,}|\$argon2", text)


def test_deactivating_ends_sessions_and_revokes_tokens(engine: Engine) -> None:
    from attain.web.auth.sessions import start_session

    ready(engine)
    user = find_user(engine, USER)
    assert user is not None
    start_session(engine, user.id)
    second = accounts.new_api_token(engine, ADMIN, USER, "second")
    accounts.set_active(engine, ADMIN, USER, False)
    with engine.connect() as conn:
        assert conn.execute(select(WebSession).where(WebSession.user_id == user.id)).all() == []
        revoked = conn.execute(select(ApiToken.revoked).where(ApiToken.user_id == user.id)).all()
    assert [r.revoked for r in revoked] == [True, True]
    (entry,) = [e for e in entries(engine) if e.action == "user.active"]
    assert entry.before["active"] is True
    assert entry.after == {**entry.before, "active": False, "tokens_revoked": 2}
    accounts.set_active(engine, ADMIN, USER, True)
    assert all(t.revoked for t in list_tokens(engine, USER)), "activating revives no token"
    assert second and authenticate(engine, USER, "ivy-pass-123") is not None


def test_the_api_refuses_a_deactivated_users_token(engine: Engine) -> None:
    from attain.web.app import create_app

    ready(engine)
    accounts.add_user(engine, SYSTEM, "boss", "boss-pass-123", "admin")
    boss = {"Authorization": f"Bearer {accounts.new_api_token(engine, SYSTEM, 'boss')}"}
    ivy = {"Authorization": f"Bearer {TOKEN}"}
    url = engine.url.render_as_string(hide_password=False)
    with TestClient(create_app(url, secure_cookies=False), follow_redirects=False) as c:
        assert c.get("/api/v1/users", headers=ivy).status_code == 403  # known, not an admin
        user = find_user(engine, USER)
        assert user is not None
        r = c.patch(f"/api/v1/users/{user.id}", json={"active": False}, headers=boss)
        assert r.status_code == 200 and r.json()["active"] is False
        assert c.get("/api/v1/users", headers=ivy).status_code == 401
        r = c.patch(f"/api/v1/users/{user.id}", json={"active": True}, headers=boss)
        assert r.json()["active"] is True
        assert c.get("/api/v1/users", headers=ivy).status_code == 401
    (entry, *_) = [e for e in entries(engine) if e.action == "user.active"]
    assert entry.actor == "boss"


def test_the_last_active_admin_stays(engine: Engine) -> None:
    ready(engine)
    accounts.add_user(engine, SYSTEM, "boss", "boss-pass-123", "admin")
    refusals: list[Callable[[], object]] = [
        lambda: accounts.set_active(engine, ADMIN, "boss", False),
        lambda: accounts.change_role(engine, ADMIN, "boss", "finance"),
    ]
    for refused in refusals:
        with pytest.raises(UserError, match="last active admin"):
            refused()
    accounts.add_user(engine, SYSTEM, "second", "second-pass-1", "admin")
    accounts.set_active(engine, ADMIN, "boss", False)
    assert entries(engine)[0].action == "user.active"


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (lambda e: accounts.add_user(e, ADMIN, USER, "long-enough-1", "finance"), "exists"),
        (lambda e: accounts.add_user(e, ADMIN, "x", "short", "finance"), "shorter than 12"),
        (lambda e: accounts.add_user(e, ADMIN, "x", "long-enough-1", "owner"), "unknown role"),
        (lambda e: accounts.add_user(e, ADMIN, "x", "long-enough-1", "rep"), "linked to a person"),
        (lambda e: accounts.change_role(e, ADMIN, USER, "rep", "nobody"), "no person"),
        (lambda e: accounts.set_password(e, ADMIN, "ghost", "long-enough-1"), "no user"),
        (lambda e: accounts.revoke_token(e, ADMIN, 99_999), "no API token"),
        (lambda e: accounts.set_active(e, ADMIN, USER, True), "active already"),
        (lambda e: accounts.change_role(e, ADMIN, USER, "rep", PERSON), "rep already"),
    ],
)
def test_a_refused_change_writes_nothing(
    engine: Engine, change: Callable[[Engine], object], reason: str
) -> None:
    ready(engine)
    users_before = _users(engine)
    with pytest.raises(UserError, match=reason):
        change(engine)
    assert entries(engine) == [] and _users(engine) == users_before


def _live_token(engine: Engine, username: str) -> int:
    """The user's first live token, or an id no token has (the revocation is then refused)."""
    return next((t.id for t in list_tokens(engine, username) if not t.revoked), 99_999)


def _apply(
    engine: Engine, step: str, who: str, role: str, password: str, secrets: list[str]
) -> None:
    person = PERSON if role == "rep" else None
    match step:
        case "add":
            accounts.add_user(engine, ADMIN, who, password, role, person)
        case "password":
            accounts.set_password(engine, ADMIN, who, password)
        case "off" | "on":
            accounts.set_active(engine, ADMIN, who, step == "on")
        case "role":
            accounts.change_role(engine, ADMIN, who, role, person)
        case "token":
            secrets.append(accounts.new_api_token(engine, ADMIN, who))
        case _:
            accounts.revoke_token(engine, ADMIN, _live_token(engine, who))


STEPS = st.lists(
    st.tuples(
        st.sampled_from(["add", "password", "off", "on", "role", "token", "revoke"]),
        st.sampled_from(["boss", "ann", "bo"]),
        st.sampled_from(["admin", "finance", "rep"]),
    ),
    min_size=1,
    max_size=8,
)


@settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(steps=STEPS)
def test_any_sequence_keeps_the_accounts_invariants(
    sqlite_template: Path,
    tmp_path_factory: pytest.TempPathFactory,
    steps: list[tuple[str, str, str]],
) -> None:
    """Whatever admins do: one entry per change made and none per change refused, the chain
    intact, an active admin left, no live token for an inactive user, no secret in the log."""
    copy = tmp_path_factory.mktemp("seq") / "accounts.db"
    shutil.copy(sqlite_template, copy)
    engine = get_engine(f"sqlite:///{copy}")
    ready(engine)
    accounts.add_user(engine, SYSTEM, "boss", "boss-pass-123", "admin")
    secrets: list[str] = []
    made = 0
    for n, (step, who, role) in enumerate(steps):
        password = f"pass-{n}-{who}-xyz"
        secrets.append(password)
        try:
            _apply(engine, step, who, role, password, secrets)
        except UserError:
            continue
        made += 1
    log = entries(engine, limit=1000)
    assert len(log) == made + 1  # the SYSTEM's boss, then one per change made
    assert verify_log(engine)[1] == []
    with engine.connect() as conn:
        people = conn.execute(select(User.id, User.role, User.active)).all()
        live = conn.execute(select(ApiToken.user_id).where(ApiToken.revoked.is_(False))).scalars()
        inactive = {u.id for u in people if not u.active}
    assert any(u.role == "admin" and u.active for u in people)
    assert not inactive & set(live)
    text = _audit_text(engine)
    assert not [s for s in secrets if s in text]


def test_the_users_page_changes_accounts_through_the_actions(engine: Engine) -> None:
    from attain.web.app import create_app

    token_id = ready(engine)
    accounts.add_user(engine, SYSTEM, "boss", "boss-pass-123", "admin")
    ivy = find_user(engine, USER)
    assert ivy is not None
    url = engine.url.render_as_string(hide_password=False)
    with TestClient(create_app(url, secure_cookies=False), follow_redirects=False) as c:
        csrf = _csrf(c.get("/login").text)
        form = {"username": "boss", "password": "boss-pass-123", "csrf": csrf, "next": "/users"}
        assert c.post("/login", data=form).status_code == 303
        csrf = _csrf(c.get("/users").text)
        page = c.post(f"/tokens/{token_id}/revoke", data={"csrf": csrf})
        assert page.status_code == 200 and f"Revoked API token {token_id}" in page.text
        page = c.post(
            f"/users/{ivy.id}/role", data={"csrf": csrf, "role": "manager", "person": PERSON}
        )
        assert f"{USER} is now manager" in page.text
        page = c.post(f"/users/{ivy.id}/active", data={"csrf": csrf, "active": "false"})
        assert "Deactivate" in page.text and ">Activate<" in page.text
        page = c.post(f"/users/{ivy.id}/active", data={"csrf": csrf, "active": "false"})
        assert page.status_code == 400 and "deactivated already" in page.text
    assert [(e.action, e.actor) for e in entries(engine)][:3] == [
        ("user.active", "boss"),
        ("user.role", "boss"),
        ("token.revoke", "boss"),
    ]


def _csrf(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]*)"', html)
    assert found, "no CSRF field on the page"
    return found.group(1)


def test_the_demo_logins_are_made_by_attain_and_kept_when_right(engine: Engine) -> None:
    from attain.web.demo_users import DemoLogin, ensure_login

    ready(engine)
    rep = DemoLogin("rep", "rep", "demo-rep-pass", PERSON)
    ensure_login(engine, rep)
    ensure_login(engine, rep)  # already right: nothing to change, nothing logged
    assert [(e.action, e.actor, e.role) for e in entries(engine)] == [
        ("user.add", "attain", "system")
    ]
    accounts.set_password(engine, ADMIN, "rep", "someone-else-1")
    accounts.set_active(engine, ADMIN, "rep", False)
    ensure_login(engine, rep)
    assert [e.action for e in entries(engine)][:2] == ["user.password", "user.active"]
    assert authenticate(engine, "rep", "demo-rep-pass") is not None
