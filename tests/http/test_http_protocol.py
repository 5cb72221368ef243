"""The storage server's protocol: tokens, scopes, secrets, checked bodies, idempotent commits."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import attrs
import httpx
import pytest

from examkit.backends.http import (
    PATH,
    HttpBackend,
    InProcessTransport,
    ServiceToken,
    ServiceTokens,
    StorageServer,
)
from examkit.backends.memory import MemoryBackend
from examkit.errors import (
    AlreadyExists,
    ConcurrentModification,
    ConfigurationError,
    InvalidInput,
    NotFound,
    NotPermitted,
    StorageError,
)
from examkit.identifiers import Brin
from examkit.scheduling import Attempt, AttemptState, RecordedResponse, SavedResponse
from examkit.testing.conformance import NOW, make_account, make_institution

pytestmark = pytest.mark.req("PLAT-3")

WRITER = "eks1.writer-token-not-a-secret"
NEXT_WRITER = "eks1.next-writer-token-not-a-secret"
READER = "eks1.reader-token-not-a-secret"
NARROW = "eks1.narrow-token-not-a-secret"
TOKENS = [
    ServiceToken.of("writer", WRITER, access="write"),
    ServiceToken.of("next-writer", NEXT_WRITER, access="write"),
    ServiceToken.of("reader", READER, access="read"),
    ServiceToken.of("narrow", NARROW, access="write", kinds=("institutions",)),
]


@attrs.define
class Served:
    """A memory backend behind a storage server, and a client of it per token."""

    inner: MemoryBackend
    server: StorageServer
    transport: InProcessTransport
    clients: list[HttpBackend] = attrs.Factory(list)

    def client(self, token: str, **options: Any) -> HttpBackend:
        options.setdefault("transport", Kept(self.transport))
        backend = HttpBackend("http://storage.test", token=token, **options)
        self.clients.append(backend)
        return backend

    def post(
        self, body: Any, token: str = WRITER, transport: httpx.BaseTransport | None = None
    ) -> httpx.Response:
        """Send one raw request (a client that is not examkit's)."""
        content = body if isinstance(body, bytes) else json.dumps(body).encode()
        kept = Kept(transport or self.transport)
        with httpx.Client(base_url="http://storage.test", transport=kept) as raw:
            return raw.post(PATH, content=content, headers={"Authorization": f"Bearer {token}"})


class Kept(httpx.BaseTransport):
    """A transport shared with others: closing the raw client leaves it open."""

    def __init__(self, inner: httpx.BaseTransport) -> None:
        self.inner = inner

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        return self.inner.handle_request(request)


@pytest.fixture
def served() -> Iterator[Served]:
    inner = MemoryBackend()
    server = StorageServer(inner, TOKENS, max_request=64 * 1024)
    transport = InProcessTransport(server)
    served = Served(inner, server, transport)
    yield served
    for client in served.clients:
        client.close()
    transport.close()
    server.close()


def stored_institutions(inner: MemoryBackend) -> list[tuple[str, int]]:
    with inner.begin(readonly=True) as uow:
        return [(str(item.code), item.version) for item in uow.institutions.list().items]


def insert(unit: str, seq: int, brin: str, **more: Any) -> dict[str, Any]:
    """A raw request that adds institution *brin* in unit *unit*."""
    item = json.loads(json.dumps([1, _plain(make_institution(brin))]))
    ops = [{"op": "insert", "record": "institutions", "items": [item]}]
    return {"unit": unit, "seq": seq, "readonly": False, "ops": ops, **more}


def _plain(item: Any) -> Any:
    from examkit.converter import unstructure

    data = unstructure(item)
    data.pop("version")
    return data


# -- authentication ---------------------------------------------------------------------------


def test_a_request_without_a_known_token_is_refused_and_changes_nothing(served: Served) -> None:
    stranger = served.client("eks1.nobody-knows-this-token")
    with pytest.raises(NotPermitted) as refused, stranger.begin() as uow:
        uow.institutions.add(make_institution("22AB"))
    assert refused.value.code == "http.unauthorized"
    assert (
        served.post(insert("u" * 20, 1, "22AB", end="commit", key="k" * 20), token="").status_code
        == 401
    )
    assert stored_institutions(served.inner) == []


def test_two_tokens_are_accepted_at_once_for_rotation(served: Served) -> None:
    for number, token in enumerate((WRITER, NEXT_WRITER)):
        with served.client(token).begin() as uow:
            uow.institutions.add(make_institution(f"{22 + number}AB"))
            uow.commit()
    assert stored_institutions(served.inner) == [("22AB", 1), ("23AB", 1)]


def test_the_token_file_keeps_digests_only() -> None:
    entry = ServiceToken.of("portal", WRITER, access="write", kinds=("institutions",))
    data = {"tokens": [entry.as_json()]}
    assert WRITER not in json.dumps(data)
    assert ServiceTokens.from_json(data).find(WRITER) == entry
    broken_files: list[dict[str, Any]] = [{}, {"tokens": []}, {"tokens": [{"id": "x"}]}]
    for broken in broken_files:
        with pytest.raises(ConfigurationError) as refused:
            ServiceTokens.from_json(broken)
        assert refused.value.code == "http.tokens.invalid"


# -- scope --------------------------------------------------------------------------------------


def test_a_read_only_token_cannot_write_and_changes_nothing(served: Served) -> None:
    reader = served.client(READER)
    with pytest.raises(NotPermitted) as refused, reader.begin() as uow:
        uow.institutions.add(make_institution("22AB"))
    assert refused.value.code == "http.scope.write"
    with reader.begin(readonly=True) as uow:
        assert uow.institutions.list().items == ()
    assert stored_institutions(served.inner) == []


def test_a_token_reaches_only_the_record_kinds_it_names(served: Served) -> None:
    narrow = served.client(NARROW)
    with narrow.begin() as uow:
        uow.institutions.add(make_institution("22AB"))
        with pytest.raises(NotPermitted) as refused:
            uow.accounts.add(make_account())
        assert refused.value.code == "http.scope.kind"
        with pytest.raises(NotPermitted):
            uow.counters.record("auth.login", "k", now=NOW, window=timedelta(minutes=5), limit=3)
        uow.commit()
    assert stored_institutions(served.inner) == [("22AB", 1)]
    with served.inner.begin(readonly=True) as uow:
        assert uow.accounts.list().items == ()


def test_secrets_are_never_readable_with_a_read_only_token(served: Served) -> None:
    from examkit.accounts import PasswordRecord

    hashed = PasswordRecord(hash="$argon2id$v=19$m=65536,t=3,p=4$c2FsdA$aGFzaA", set_at=NOW)
    with served.inner.begin() as uow:
        uow.accounts.add(make_account(password=hashed, password_history=(hashed.hash,)))
        uow.commit()
    reader = served.client(READER)
    with reader.begin(readonly=True) as uow:
        account = uow.accounts.get("acc-1")
        assert (account.password, account.password_history) == (None, ())
        assert uow.accounts.get_many(["acc-1"])["acc-1"].password is None
        assert [found.password for found in uow.accounts.list().items] == [None]
        for read in (
            lambda: uow.authenticators.get("acc-1"),
            lambda: uow.web_sessions.get("s-1"),
            lambda: uow.signins.get("t-1"),
            lambda: uow.tokens.peek("auth.reset", "digest", now=NOW),
            lambda: uow.pending_federated_sign_ins.get("state-digest"),
        ):
            with pytest.raises(NotPermitted) as refused:
                read()
            assert refused.value.code == "http.scope.secret"
    with served.client(WRITER).begin(readonly=True) as uow:
        assert uow.accounts.get("acc-1").password == hashed


# -- checked bodies and limits -------------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        b"not json",
        [],
        {"unit": "short", "seq": 1, "readonly": False, "ops": []},
        {"unit": "u" * 20, "seq": 0, "readonly": False, "ops": []},
        {"unit": "u" * 20, "seq": 1, "readonly": "no", "ops": []},
        {"unit": "u" * 20, "seq": 1, "readonly": False, "ops": [{"op": "drop_table"}]},
        {"unit": "u" * 20, "seq": 1, "readonly": False, "ops": [{"op": "get", "record": "x"}]},
        {"unit": "u" * 20, "seq": 1, "readonly": False, "ops": [], "end": "commit"},
        insert("u" * 20, 1, "22AB")
        | {
            "ops": [
                {"op": "insert", "record": "institutions", "items": [[1, {"code": "not a brin"}]]}
            ]
        },
    ],
)
def test_every_body_is_checked_before_it_reaches_the_backend(served: Served, body: Any) -> None:
    answer = served.post(body)
    assert answer.status_code == 400
    assert answer.json()["error"]["code"] == "http.request.invalid"
    assert stored_institutions(served.inner) == []


def test_requests_and_answers_have_size_limits(served: Served) -> None:
    answer = served.post(b"x" * (64 * 1024 + 1))
    assert (answer.status_code, answer.json()["error"]["code"]) == (413, "http.request.too_large")
    small = served.client(WRITER, max_request=200)
    with pytest.raises(InvalidInput) as refused, small.begin() as uow:
        uow.institutions.add(make_institution("22AB", secondary=3))
    assert refused.value.code == "http.request.too_large"
    with served.inner.begin() as uow:
        uow.institutions.add_many([make_institution(f"{n:02d}AB") for n in range(10, 40)])
        uow.commit()
    tiny = served.client(WRITER, max_response=1000)
    with pytest.raises(StorageError) as failed, tiny.begin(readonly=True) as uow:
        uow.institutions.list()
    assert failed.value.code == "http.response.too_large"


# -- errors come back as examkit's own -----------------------------------------------------------


def test_the_servers_refusals_are_examkits_own_errors(served: Served) -> None:
    client = served.client(WRITER)
    with client.begin() as uow:
        uow.institutions.add(make_institution("22AB"))
        uow.commit()
    with client.begin() as uow:
        with pytest.raises(AlreadyExists):
            uow.institutions.add(make_institution("22AB"))
        with pytest.raises(NotFound):
            uow.institutions.get(Brin("33CD"))
        stale = attrs.evolve(uow.institutions.get(Brin("22AB")), version=7)
        with pytest.raises(ConcurrentModification):
            uow.institutions.update(stale)
        with pytest.raises(InvalidInput) as refused:
            uow.counters.record("p", "k", now=NOW, window=timedelta(0), limit=3)
        assert refused.value.code == "storage.invalid_argument"


def test_a_commit_over_a_stale_read_is_refused_as_a_conflict(served: Served) -> None:
    with served.inner.begin() as uow:
        uow.institutions.add(make_institution("22AB"))
        uow.commit()
    body = insert("s" * 20, 1, "33CD", end="commit", key="k" * 20)
    answer = served.post(body | {"reads": [["institutions", "22AB", 7]]})
    assert answer.json()["error"]["type"] == "ConcurrentModification"
    assert stored_institutions(served.inner) == [("22AB", 1)]
    fresh = insert("t" * 20, 1, "33CD", end="commit", key="j" * 20)
    answer = served.post(
        fresh | {"reads": [["institutions", "22AB", 1], ["institutions", "99ZZ", None]]}
    )
    assert answer.json()["error"] is None
    assert stored_institutions(served.inner) == [("22AB", 1), ("33CD", 1)]


# -- idempotent commits --------------------------------------------------------------------------


def test_a_commit_sent_again_with_its_key_answers_the_first_outcome_once(served: Served) -> None:
    assert served.post(insert("r" * 20, 1, "22AB")).json()["open"] is True
    commit = {"unit": "r" * 20, "seq": 2, "readonly": False, "ops": [], "end": "commit"}
    commit["key"] = "key-" + "a" * 20
    first = served.post(commit)
    assert first.json()["error"] is None
    assert served.post(commit).content == first.content  # the unit's answer, kept
    restarted = StorageServer(served.inner, TOKENS, keep_answers=0)  # answers forgotten
    again = InProcessTransport(restarted)
    try:
        replay = served.post(commit, transport=again)
        stranger = served.post(commit, token=NEXT_WRITER, transport=again)
    finally:
        again.close()
        restarted.close()
    assert replay.content == first.content  # the key's answer, stored with the commit
    assert stranger.json()["error"]["code"] == "http.unit.lost"  # only to the token that sent it
    assert stored_institutions(served.inner) == [("22AB", 1)]


def test_a_key_sent_again_with_another_body_is_refused_and_applies_nothing(
    served: Served,
) -> None:
    key = "key-" + "b" * 20
    assert served.post(insert("p" * 20, 1, "22AB", end="commit", key=key)).json()["error"] is None
    other = served.post(insert("q" * 20, 1, "33CD", end="commit", key=key))
    assert other.json()["error"]["code"] == "http.idempotency.mismatch"
    tampered = insert("p" * 20, 1, "44EF", end="commit", key=key)  # the same unit, another body
    assert served.post(tampered).json()["error"]["code"] == "http.idempotency.mismatch"
    assert stored_institutions(served.inner) == [("22AB", 1)]


class LosesAnswers(httpx.BaseTransport):
    """Delivers every request, but loses the answer to the first *lose* commits."""

    def __init__(self, inner: httpx.BaseTransport, lose: int) -> None:
        self.inner = inner
        self.lose = lose
        self.commits = 0

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = self.inner.handle_request(request)
        if json.loads(request.content).get("end") == "commit":
            self.commits += 1
            if self.commits <= self.lose:
                raise httpx.ReadError("connection reset after the server answered")
        return response


def test_a_commit_whose_answer_was_lost_is_applied_once(served: Served) -> None:
    losing = LosesAnswers(served.transport, lose=2)
    client = served.client(WRITER, transport=losing, backoff=0.001)
    with client.begin() as uow:
        uow.institutions.add(make_institution("22AB"))
        uow.commit()
    assert losing.commits == 3
    assert stored_institutions(served.inner) == [("22AB", 1)]


def test_when_retries_run_out_the_outcome_is_unknown(served: Served) -> None:
    losing = LosesAnswers(served.transport, lose=100)
    client = served.client(WRITER, transport=losing, retries=2, backoff=0.001)
    with client.begin() as uow:
        uow.institutions.add(make_institution("22AB"))
        with pytest.raises(StorageError) as unknown:
            uow.commit()
    assert unknown.value.code == "storage.outcome_unknown"
    assert losing.commits == 3
    assert stored_institutions(served.inner) == [("22AB", 1)]  # it was applied, once


def test_an_unreachable_server_is_a_storage_error(served: Served) -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused")

    client = served.client(WRITER, transport=httpx.MockTransport(refuse), retries=1, backoff=0.001)
    with pytest.raises(StorageError) as failed, client.begin(readonly=True) as uow:
        uow.institutions.list()
    assert failed.value.code == "http.unavailable"


# -- the save: one request -----------------------------------------------------------------------


def test_a_save_that_commits_is_one_request_and_a_refused_one_leaves_the_unit_open(
    served: Served,
) -> None:
    attempt = Attempt(
        group="g-1",
        candidate="c-1",
        exam="NE-GL-2026",
        login_name="KAND0001",
        state=AttemptState.IN_PROGRESS,
        started_at=NOW,
        deadline=NOW + timedelta(minutes=150),
    )
    with served.inner.begin() as uow:
        uow.test_attempts.add(attempt)
        uow.commit()
    client = served.client(WRITER)
    response = SavedResponse(value={"choice": ["B"]}, sequence=1, saved_at=NOW)
    before = client.requests_sent
    with client.begin() as uow:
        recorded = uow.test_attempts.record_response(
            "g-1:c-1", "q1", response, now=NOW, then_commit=True
        )
        uow.commit()
    assert recorded == RecordedResponse(version=2, deadline=attempt.deadline)
    assert client.requests_sent - before == 1
    with client.begin() as uow:
        assert (
            uow.test_attempts.record_response("g-1:c-1", "q1", response, now=NOW, then_commit=True)
            is None
        )
        assert uow.test_attempts.get("g-1:c-1").last_sequence == 1  # the unit goes on
    with served.inner.begin(readonly=True) as uow:
        assert uow.test_attempts.get("g-1:c-1").version == 2


def test_a_lapsed_lease_is_rolled_back_and_the_unit_is_lost(served: Served) -> None:
    server = StorageServer(served.inner, TOKENS, lease_timeout=0.2)
    transport = InProcessTransport(server)
    try:
        client = served.client(WRITER, transport=transport)
        uow = client.begin()
        uow.institutions.add(make_institution("22AB"))
        import time

        time.sleep(1.0)
        with pytest.raises(StorageError) as lost:
            uow.commit()
        assert lost.value.code == "http.unit.lost"
        with served.inner.begin() as other:  # the writer lock was released
            other.institutions.add(make_institution("33CD"))
            other.commit()
    finally:
        transport.close()
        server.close()
    assert stored_institutions(served.inner) == [("33CD", 1)]
