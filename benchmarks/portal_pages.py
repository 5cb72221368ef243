"""The portal's signed-in pages under load: server CPU per request, over the template alone.

The data set (untimed, built through examkit's use cases on a fresh
database): school 22AB with its first operator; an EDEXML import of 1,000
pupils in 40 classes at 22AB00 (:func:`examkit.testing.edexml_document`,
``kit.edexml_imports.preview`` and ``confirm``), then a second file with
changes left pending (the import pages' preview); 60 users at 22AB00:
Karin and Tom Beheerder, administrators (accounts of the school, as the demo
makes its first administrator, given their roles by the operator through
``kit.grants``), and 58 staff Karin adds (``kit.users.add_user``) with Facet
roles (``kit.grants.grant_role``); candidates made
of the pupils (``kit.candidates.add_candidates_from_pupils``) and 20
session groups of 50 planned over them (``kit.planning.plan``); three account
applications from another school waiting in the service desk's queue
(``kit.applications``). For the pages of issue 23's part 2
(:mod:`benchmarks._portal_exam_data`): an active offline server; the
central exam of :mod:`examkit.testing.correction` with three groups of 50
of those candidates, Karin their proctor and first corrector: today's,
released, half its candidates signed in; one sat an hour ago and released
for correction, half of it scored by her; one corrected, closed, its
results published and a week's review granted to its first candidate (the
portal holds the test's answer key, as the demo's does); a Flemish school
(*instellingsnummer* 054321) with its own test coordinator, its EDEXML
file of 50 pupils imported, this year's registration open with 48 of them
in two pupil groups, and a second file's preview pending. ``--smoke`` uses
a tenth of it (two session groups of five, groups of five on the exam day).
The pages are viewed by Karin Beheerder, who holds at 22AB00
``facet.administrator`` and ``cito_lvs.administrator``, plus, for every
action a signed-in page of the router is declared for and those do not
give, a role that gives it (the operator's role included): every page
renders with data. One account holds the Dutch and the Flemish roles: the
operator links hers to the Flemish school (one login for several schools,
AUTH-11) and makes her its test coordinator; the school's own coordinator
grants her the test assistant's role (the logbook). Her web session is
started with ``kit.web_sessions.start`` and its cookie given to ``wrk``;
the proctor monitor's pages take the portal's session as well as their own
monitor session (:func:`portal._monitor_access.on_monitor`), so hers opens
them.

The pages are found, not listed: every GET route of the portal's router
whose endpoint is declared ``signed_in``, ``allowed(...)`` or
``on_monitor(...)``. A path parameter is filled from the data set: values
whose kind its name suggests first (``account``, ``class``, ``group``,
``pupil``, ``import``, ``registration``, ...; among those, a kind naming
the path's area first: ``flemish_pupil`` in ``/flemish/...``), then every
other kind; the first filling the page answers 200 to is kept. A page no
filling opens, or that renders nothing through ``Portal.page`` (a file
download: the PDFs, the partial report's CSV, the QTI zip), is listed
under ``skipped`` with the reason, never dropped silently. So pages added
later are measured without editing this file.

The candidate's test player (``/test``, ``/test/player``, ``/test/save``,
...) is not among them: its pages are public, opened with the candidate's
cookie, not a staff member's session. benchmarks/portal_exam_day.py loads
its busiest endpoint, ``POST /test/save``; the sign-in and the player's page
are opened there once per candidate, untimed: neither benchmark measures
them under load.

Examkit (measured): the portal as ``python -m portal serve`` runs it
(:mod:`benchmarks._portal_server`: examkit's production parts, the SQL
backend with its defaults), under uvicorn with one worker on loopback, in a
process of its own; ``wrk`` (one thread, 8 connections) requests one page
until a number of answers came (:file:`benchmarks/_portal_pages_stop.lua`):
as many as cost the *baseline* about a tenth of a second of CPU in
``--quick`` (half a second without a flag), 40 at least, the same number on
both sides, found by a first baseline run sized from the page's quickest
answer in the warm-up (:func:`measure_page`). The figure is the server
process's CPU time over the run (user and system, every thread), divided by
the requests ``wrk`` sent (the answered ones and the few in flight when it
stopped, which the server serves all the same). The server reads its CPU
time itself (``time.process_time``, exact to the microsecond) and answers it
on a route of the benchmark's own (:data:`benchmarks._portal_server.CPU_PATH`),
read before and after each run. Until December 2026 it was read from
``/proc/<pid>/stat``, which counts whole 10 ms ticks: a run of a tenth of a
second was then ten ticks or so, each round's ratio rounded by up to a fifth,
and the largest of 94 pages' medians moved from 2.9 to 3.8 between two runs of
the same code on an idle machine.

The baseline (the same run, the same machine, interleaved page by page) is
**the same application with no examkit call but the session lookup**: the
same routes, middleware and :class:`~portal._base.Portal`, each signed-in
page's endpoint replaced by one that resolves the session and checks access
through the portal's own decorators (as the real one does), then renders
the page's template from the context the real page gave ``Portal.page`` once
at start-up (:func:`benchmarks._portal_server.capture`). Each page is
loaded in rounds, each round examkit and the baseline back to back (the
order alternating); a round's ratio is examkit's CPU per request over the
baseline's, and a page's ratio is the median of its rounds' (printed with
the lowest and highest round), so one round that other work on the machine
disturbed does not make the figure; the CPU figures shown are each side's
median. ``ratio`` is the largest page's ratio, the larger of SQLite's and
PostgreSQL's.
Target 3: a page may cost at most three times the rendering of its
template, the session lookup included in both. On PostgreSQL the
database server's own CPU per request (its processes, from ``/proc``) is
printed for information: it is not in the server process's figure.

For information, ``sign_ins_per_second``: the password step of ``/sign-in``
(GET the form, POST the login name and password; a 303 to the code page)
with the production argon2 hasher, from as many clients as twice the cores,
against the SQLite portal; the portal hashes in a pool no larger than the
number of cores.

Measured at the quick size on the shared 2-core machine it was written on
(CPython 3.11, uvicorn 0.55, SQLite 3.40, PostgreSQL 15; load average 4 to
7 from other work), when the home page was the portal's only signed-in
page: SQLite ~810-900 µs per request against the baseline's ~520-660 µs
(ratio 1.37-1.55), PostgreSQL ~1.6-3.3 ms against ~1.2-2.5 ms (1.18-1.37;
the database's own CPU ~560-650 µs against ~350-480 µs); sign-ins 2 to 9
per second, as the load of the machine varied. The baseline is mostly the
web stack (uvicorn, Starlette, the middleware, Jinja2): the session lookup
it shares with the real page is
~65 µs of examkit (resolve ~29 µs, account and grants ~36 µs, single
threaded), a worker-thread hop ~26 µs; the home page adds one examkit call,
the sign-out form's one-time token (a write, ~56 µs single threaded).
When part 2's pages came, several missed the target by far, each for
reading more than it shows or decoding the same rows again on every view:
the planning's candidate page listed every candidate of the location to
find one (52 times its template), the monitor's group pages built the
whole day's monitor, the current school year was found by reading every
pupil of every year, the classes' names by counting every pupil; the
candidates, session groups, attempts and correction sheets were decoded
afresh (the SQL backend now reuses their decoded rows while unchanged,
as it does the accounts'). After those fixes, ``--quick`` with the 47 pages
(load average 2.3 rising to 3.9 during the run, 1 min 55 s): most pages
1.0-2.9 on either database; over the target, on PostgreSQL mostly,
``/results/{group}`` (~4: the group's grades computed on every view, 50
candidates' scores in fractions, and a read per candidate), the planning's
and the monitor's group pages (~3.2-3.7: one ``SELECT`` per candidate of
the group, each a round trip to PostgreSQL: the storage has no read of
many keys at once), and pages near 3 whose ratio moves by 0.5 from one
run to the next at that load.

Needs Debian's ``wrk`` (``apt-get install -y wrk``; CI does not run the
benchmarks, so ``.ci/run`` does not install it); without it the benchmark
says so and exits 2. Without PostgreSQL's server programs it runs SQLite
only and says so in its JSON (``postgres``: ``"not installed"``).
``--quick`` runs three rounds per page and database (about eight minutes
with the 47 pages of parts 1 and 2 at a load average of 4 to 6, data sets
included; before the rounds it ran one, of a few ticks, in two and a half
minutes, and a page's ratio moved by 0.5 or more from run to run); without
a flag, five rounds; ``--smoke`` one, briefly, on the small data set,
three pages only (the others are listed as skipped). Run as
``python benchmarks/portal_pages.py [--quick | --smoke]``; the last line
printed is one JSON object with ``ratio``, ``target`` and ``met``.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from types import FrameType
from typing import Final

import attrs

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run as a script

import httpx
from benchmarks._harness import Figure, by_mode, parse_mode, report
from benchmarks._portal_exam_data import FLEMISH_HELPER, FLEMISH_SCHOOL, exam_day, flemish_school
from benchmarks._portal_server import (
    CPU_PATH,
    HOST,
    PageRoute,
    build_portal,
    session_cookie,
    signed_in_pages,
)
from benchmarks._postgres import postgres_cluster

from examkit import Examkit
from examkit.accounts import Account, LoginName, PasswordRecord
from examkit.applications import AdministratorEntry, AuthorityEntry, SchoolEntry
from examkit.edexml import CombinationGroup, Gender, Group, PersonName, Pupil
from examkit.identifiers import Brin, Instellingsnummer, LocationCode
from examkit.imports import calendar_year
from examkit.permissions import MATRIX, ScopeKind, load_actor
from examkit.scheduling import Mode
from examkit.testing import edexml_document
from examkit.testing.conformance import make_institution
from examkit.testing.postgres import PostgresCluster, PostgresUnavailable
from examkit.testing.sessions import EXAM

TARGET: Final = 3.0
SERVER: Final = Path(__file__).with_name("_portal_server.py")
L00: Final = LocationCode("22AB00")
ADMIN_LOGIN: Final = "22AB.K.Beheerder"
PASSWORD: Final = "Benchmark-Tzummarum-2026"  # noqa: S105 - the benchmark's accounts', no secret
CONNECTIONS: Final = 8
_FIRST = ("Sem", "Noor", "Jesse", "Elif", "Daan", "Emma", "Luuk", "Tess", "Milan", "Saar")
_LAST = ("Vries", "Bakker", "Jansen", "Visser", "Smit", "Meijer", "Mulder", "Bos")
_PREFIX = (None, "de", None, "van der", None, None, None, None)
_STAFF_ROLES = ("facet.proctor", "facet.corrector", "facet.planner", "facet.ft_proctor")
_KINDS_BY_NAME: Final = (
    (("account", "user", "staff", "person", "member"), ("account",)),
    (("location", "place", "site", "vestiging"), ("location",)),
    (("institution", "brin", "school"), ("institution",)),
    (("session", "sitting", "afnamegroep"), ("session_group",)),
    (("class", "klas", "groep"), ("class",)),
    (
        ("group",),
        ("today_group", "correcting_group", "corrected_group", "session_group"),
    ),
    (("pupil", "leerling", "student"), ("pupil", "flemish_pupil")),
    (
        ("candidate", "kandidaat"),
        ("correcting_candidate", "reviewed_candidate", "candidate"),
    ),
    (("import", "preview", "upload", "file"), ("import", "flemish_import")),
    (("application", "aanvraag", "request"), ("application",)),
    (("year",), ("school_year",)),
    (("role",), ("role",)),
    (("registration", "inschrijving"), ("registration",)),
    (("moment",), ("moment",)),
    (("server", "fao"), ("server",)),
)
"""A path parameter's name -> the kinds of value it is tried with first, in order."""


@attrs.frozen
class Size:
    """How big the data set is."""

    pupils: int
    classes: int
    users: int
    session_groups: int
    per_group: int


FULL_SIZE: Final = Size(pupils=1_000, classes=40, users=60, session_groups=20, per_group=50)
SMOKE_SIZE: Final = Size(pupils=100, classes=4, users=6, session_groups=2, per_group=5)


@attrs.frozen
class DataSet:
    """The stored data set: the viewer, a value of every kind for path parameters, sign-ins."""

    admin: str
    operator: str
    helper: str
    values: Mapping[str, str]
    sign_in_logins: tuple[str, ...]


# --- the data set, through examkit's use cases --------------------------------------------


def _pupils(size: Size, year_offset: int = 0) -> tuple[list[Group], list[Pupil]]:
    groups = [
        Group(f"g{k:02d}", f"{k % 8 + 1}{chr(65 + k // 8)}", str(k % 8 + 1))
        for k in range(size.classes)
    ]
    pupils = []
    for i in range(size.pupils):
        group = groups[i % len(groups)]
        pupils.append(
            Pupil(
                key=f"{100000 + i}",
                name=PersonName(
                    _LAST[i % 8],
                    prefix=_PREFIX[i % 8],
                    called_name=_FIRST[(i + year_offset) % 10],
                ),
                birth_date=None,
                gender=(Gender.MALE, Gender.FEMALE)[i % 2],
                year_group=group.year_group,
                group=group.key,
                combination_groups=("plus",) if i % 7 == 0 else (),
            )
        )
    return groups, pupils


def _add_account(kit: Examkit, account: Account) -> None:
    # The school's first administrator, as the demo and the tests make her: an account of
    # the school before anyone may add users there (the operator adds no users).
    with kit.backend.begin() as uow:
        uow.accounts.add(account)
        uow.commit()


def _set_password(kit: Examkit, account_id: str, hashed: str) -> None:
    # A password of their own for the accounts that sign in (the demo's way, hashed once).
    with kit.backend.begin() as uow:
        stored = uow.accounts.get(account_id)
        chosen = attrs.evolve(stored, password=PasswordRecord(hash=hashed, set_at=kit.clock.now()))
        uow.accounts.update(chosen)
        uow.commit()


def _apply(kit: Examkit, n: int) -> str:
    wizard = kit.applications.wizard("facet")
    wizard.enter(
        SchoolEntry(
            f"{33 + n}CD 00", "", f"Aanvraagschool {n}", "Waterlaan", "2", "8835 BA", "Groningen"
        )
    )
    wizard.next()
    wizard.enter(
        AdministratorEntry(
            "Klaas",
            "Beheerder",
            "06-12345678",
            f"k.beheerder{n}@aanvraag.example",
            f"{33 + n}CD.K.Beheerder",
        )
    )
    wizard.next()
    wizard.enter(AuthorityEntry("G.", "Jansen", "Directeur", f"g.jansen{n}@aanvraag.example"))
    wizard.next()
    return kit.applications.submit(wizard).id


def build_data_set(kit: Examkit, size: Size, sign_ins: int) -> DataSet:
    """Store the data set through the use cases; return the ids the pages are filled from."""
    kit.institutions.register(make_institution("22AB", secondary=1, name="Het Eiland"))
    operator = kit.grants.create_first_operator(
        login_name="examkit.servicedesk",
        first_name="Sanne",
        last_name="Servicedesk",
        email="servicedesk@benchmark.example",
    ).id
    admin = "benchmark-admin"
    _add_account(
        kit,
        Account(
            id=admin,
            login_name=LoginName(ADMIN_LOGIN),
            first_name="Karin",
            last_name="Beheerder",
            email="k.beheerder@heteiland.example",
            institutions=frozenset({Brin("22AB")}),
        ),
    )
    helper = _co_administrator(kit)
    for code, system in MATRIX.systems.items():
        if system.access_switch:  # "Toegang tot applicatie", before she holds other roles
            manager = next(r for r in MATRIX.roles_of(code) if r.by_application)
            kit.grants.grant_administrator(operator, helper, at=[L00], role=manager.code)
            kit.users.set_access(helper, admin, application=code, institution=Brin("22AB"))
    for role in ("facet.administrator", "cito_lvs.administrator"):
        kit.grants.grant_administrator(operator, admin, at=[L00], role=role)
    year = calendar_year(kit.clock.now())
    groups, pupils = _pupils(size)
    plus = [CombinationGroup("plus", "Plusklas")]
    first = edexml_document(
        school_year=year, brin=Brin("22AB"), groups=groups, combination_groups=plus, pupils=pupils
    )
    kit.edexml_imports.confirm(admin, kit.edexml_imports.preview(admin, first))
    changed = edexml_document(
        school_year=year,
        brin=Brin("22AB"),
        groups=groups,
        combination_groups=plus,
        pupils=_pupils(size, year_offset=1)[1][: size.pupils - size.classes],
    )
    pending = kit.edexml_imports.preview(admin, changed)
    users = []
    for n in range(size.users - 2):  # Karin and Tom, the second administrator, are the others
        user = kit.users.add_user(
            admin,
            application="facet",
            at=L00,
            login_name=f"22AB.{_FIRST[n % 10]}.{_LAST[n % 8]}{n:02d}",
            first_name=_FIRST[n % 10],
            last_name=f"{_LAST[n % 8]} {n}",
            email=f"user{n}@heteiland.example",
            tell=False,
        )
        kit.grants.grant_role(admin, user.id, _STAFF_ROLES[n % len(_STAFF_ROLES)], at=[L00])
        users.append(user.id)
    proctor = next(
        u for n, u in enumerate(users) if _STAFF_ROLES[n % len(_STAFF_ROLES)] == "facet.proctor"
    )
    corrector = next(
        u for n, u in enumerate(users) if _STAFF_ROLES[n % len(_STAFF_ROLES)] == "facet.corrector"
    )
    planner = next(
        u for n, u in enumerate(users) if _STAFF_ROLES[n % len(_STAFF_ROLES)] == "facet.planner"
    )
    kit.candidates.register_exam(EXAM)
    candidates = kit.candidates.add_candidates_from_pupils(planner, L00)
    start = (kit.clock.now() + timedelta(days=14)).replace(hour=8, minute=0, second=0)
    session_groups = []
    for g in range(size.session_groups):
        chosen = candidates[g * size.per_group : (g + 1) * size.per_group]
        planned = kit.planning.plan(
            planner,
            location=L00,
            exam=EXAM.code,
            mode=Mode.ONLINE,
            starts_at=start + timedelta(days=g // 4, hours=2 * (g % 4)),
            room=f"Lokaal {g + 1}",
            proctor=proctor,
            candidates=[c.id for c in chosen],
            first_corrector=corrector,
        )
        session_groups.append(planned.id)
    # Part 2 (issue 23): Karin proctors and corrects the exam day's groups (granted by Tom)
    kit.grants.grant_administrator(operator, helper, at=[L00], role="facet.administrator")
    for role in ("facet.proctor", "facet.corrector", "facet.fao_administrator"):
        kit.grants.grant_role(helper, admin, role, at=[L00])
    server = kit.offline_servers.add_server(
        admin, location=L00, name="FAO lokaal 12", address="192.168.1.20"
    )
    kit.offline_servers.server_transition(admin, server.id, "activate")
    exam_day_values = exam_day(
        kit,
        viewer=admin,
        planner=planner,
        second_corrector=corrector,
        candidates=candidates,
        per_group=size.per_group,
    )
    flemish_values = flemish_school(kit, operator=operator, viewer=admin, pupils=size.per_group)
    applications = [_apply(kit, n) for n in range(3)]
    hashed = kit.hasher.hash(PASSWORD)
    signing_in = users[:sign_ins]
    for account in signing_in:
        _set_password(kit, account, hashed)
    with kit.backend.begin(readonly=True) as uow:
        logins = tuple(uow.accounts.get(a).login_name.value for a in signing_in)
    values = {
        "account": users[0],
        "location": str(L00),
        "institution": "22AB",
        "class": groups[0].key,
        "session_group": session_groups[0],
        "pupil": pupils[0].key,
        "candidate": candidates[0].id,
        "import": pending.id,
        "application": applications[0],
        "school_year": str(year),
        "role": "facet.proctor",
        "server": server.id,
        **exam_day_values,
        **flemish_values,
    }
    return DataSet(admin, operator, helper, values, logins)


def give_every_needed_role(kit: Examkit, data: DataSet, pages: Sequence[PageRoute]) -> list[str]:
    """Grant *admin* a role for every action of *pages* her roles lack; return the ones unmet.

    Each role is granted the way the matrix allows: an application's
    administrator role and the operator's role by the operator; any other
    role by a second administrator, given the role that grants it: Tom at
    22AB00 (her access to the applications that have an access switch was
    switched on by him when the data set was made); for the Flemish tests'
    roles (per school) the Flemish school's own test coordinator, at that
    school, to which the operator linked her account (one login for several
    schools, AUTH-11): so one viewer holds the Dutch and the Flemish roles.
    """
    admin, operator = data.admin, data.operator
    unmet = []
    for action in sorted({a for page in pages for a in page.actions}):
        with kit.backend.begin(readonly=True) as uow:
            if load_actor(uow, admin).may(action):
                continue
        role = next(
            (r for r in MATRIX.roles.values() if action in r.actions and r.scope in _AT), None
        )
        if role is None:
            unmet.append(action)
            continue
        at = list(_AT[role.scope])
        if role.by_application:
            kit.grants.grant_administrator(operator, admin, at=at, role=role.code)
        elif any(g.code == "examkit.operator" for g in MATRIX.granted_by(role.code)):
            kit.grants.grant_role(operator, admin, role.code, at=at)
        else:
            granter = MATRIX.granted_by(role.code)[0]
            helper = FLEMISH_HELPER if role.scope is ScopeKind.SCHOOL else data.helper
            kit.grants.grant_administrator(operator, helper, at=at or [L00], role=granter.code)
            kit.grants.grant_role(helper, admin, role.code, at=at)
    return unmet


_AT: Final[Mapping[ScopeKind, tuple[LocationCode | Instellingsnummer, ...]]] = {
    ScopeKind.LOCATIONS: (L00,),
    ScopeKind.SYSTEM: (),
    ScopeKind.SCHOOL: (FLEMISH_SCHOOL,),
}
"""Where the viewer is given a role of each scope kind she can hold (per class: none)."""


def _co_administrator(kit: Examkit) -> str:
    """Make Tom, a second administrator at 22AB, who grants Karin the other roles."""
    helper = "benchmark-granter"
    _add_account(
        kit,
        Account(
            id=helper,
            login_name=LoginName("22AB.T.Beheerder2"),
            first_name="Tom",
            last_name="Tweedebeheerder",
            email="t.tweedebeheerder@heteiland.example",
            institutions=frozenset({Brin("22AB")}),
        ),
    )
    return helper


# --- the pages and their paths ------------------------------------------------------------


def _kinds_for(name: str, kinds: Sequence[str], path: str = "") -> list[str]:
    """Return the kinds to fill parameter *name* of *path* with, the likeliest first.

    The kinds its name suggests come first; among them those whose first word
    is in the path (``flemish_pupil`` in ``/flemish/...``) before the others.
    """
    folded = name.lower()
    hinted = [
        kind for words, found in _KINDS_BY_NAME if any(w in folded for w in words) for kind in found
    ]
    hinted.sort(key=lambda kind: "_" not in kind or kind.split("_")[0] not in path.lower())
    first = list(dict.fromkeys(k for k in hinted if k in kinds))
    return first + [k for k in kinds if k not in first]


def fill_paths(
    app: object, pages: Sequence[PageRoute], values: Mapping[str, str], cookie: str
) -> tuple[dict[str, str], dict[str, str]]:
    """Return route pattern -> a path the page answers 200 to, and the skipped pages' reasons."""
    from benchmarks._portal_server import capture
    from starlette.applications import Starlette

    assert isinstance(app, Starlette)
    filled: dict[str, str] = {}
    skipped: dict[str, str] = {}
    kinds = list(values)
    for page in pages:
        options = [_kinds_for(name, kinds, page.path) for name in page.params]
        tried: dict[str, int] = {}
        for choice in itertools.islice(itertools.product(*options), 200):
            path = page.path
            for name, kind in zip(page.params, choice, strict=True):
                path = re.sub(r"\{" + name + r"(:[^}]*)?\}", values[kind], path)
            rendered, statuses = asyncio.run(capture(app, {page.path: path}, cookie))
            tried[path] = statuses[page.path]
            if statuses[page.path] == 200:
                if page.path in rendered:
                    filled[page.path] = path
                else:
                    skipped[page.path] = f"{path} renders no template through Portal.page"
                break
        else:
            shown = ", ".join(f"{p} {s}" for p, s in list(tried.items())[:4])
            skipped[page.path] = f"no filling from the data set answers 200 ({shown})"
    return filled, skipped


# --- measuring a server under wrk ---------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        port: int = sock.getsockname()[1]
        return port


_TICK: Final = os.sysconf("SC_CLK_TCK")


def process_cpu(pid: int, *, children: bool = False) -> float:
    """Return *pid*'s CPU time in seconds (user + system, all threads; reaped children too)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    # after the command: state(0) ppid(1) ... utime(11) stime(12) cutime(13) cstime(14)
    ticks = int(fields[11]) + int(fields[12])
    if children:
        ticks += int(fields[13]) + int(fields[14])
    return ticks / _TICK


def _children_of(parent: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == parent:
            found.append(int(entry.name))
    return found


class DatabaseCpu:
    """The CPU time of a PostgreSQL cluster's processes (the postmaster and its children)."""

    def __init__(self, postmaster: int | None) -> None:
        self.postmaster = postmaster

    def seconds(self) -> float:
        """Return the cluster's CPU time so far (0 when there is no cluster to watch)."""
        if self.postmaster is None:
            return 0.0
        total = process_cpu(self.postmaster, children=True)
        for child in _children_of(self.postmaster):
            try:
                total += process_cpu(child)
            except (OSError, IndexError):
                continue  # a child that ended meanwhile: counted in the postmaster's cutime
        return total


class Server:
    """One portal variant served by uvicorn in a process of its own."""

    def __init__(
        self, database: str, variant: str, folder: Path, pages: Mapping[str, str], cookie: str
    ) -> None:
        self.variant = variant
        self.port = _free_port()
        pages_file = folder / f"pages-{variant}.json"
        pages_file.write_text(json.dumps(dict(pages)), encoding="utf-8")
        self.log = folder / f"server-{variant}-{self.port}.log"
        command = [
            sys.executable,
            str(SERVER),
            "--database",
            database,
            "--port",
            str(self.port),
            "--variant",
            variant,
            "--pages",
            str(pages_file),
            f"--cookie={cookie}",  # a session id may begin with "-"
        ]
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)  # noqa: S603

    @property
    def origin(self) -> str:
        """The server's address."""
        return f"http://{HOST}:{self.port}"

    def wait_ready(self, timeout: float = 60.0) -> None:
        """Wait until the server answers its health check."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"the {self.variant} server stopped: {self.log.read_text(errors='replace')}"
                )
            try:
                if httpx.get(self.origin + "/health", timeout=2.0).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        raise RuntimeError(f"the {self.variant} server did not start in {timeout:.0f} s")

    def warm_up(self, paths: Iterable[str], cookie: str, times: int = 5) -> dict[str, float]:
        """Request each of *paths* a few times (templates compiled, connections pooled).

        Returns each path's quickest answer, in seconds (one client, so about
        the server's CPU for one request, and never less).
        """
        quickest: dict[str, float] = {}
        with httpx.Client(base_url=self.origin, cookies={session_cookie(): cookie}) as http:
            for path in paths:
                for _ in range(times):
                    started = time.perf_counter()
                    http.get(path).raise_for_status()
                    took = time.perf_counter() - started
                    quickest[path] = min(quickest.get(path, took), took)
        return quickest

    def cpu(self) -> float:
        """Return the server process's CPU time so far, in seconds, as it counts it.

        The server answers :data:`~benchmarks._portal_server.CPU_PATH` with its
        ``time.process_time()``: exact, where ``/proc`` counts whole 10 ms ticks.
        The one request's own cost falls half before and half after a reading,
        the same on both sides.
        """
        answer = httpx.get(self.origin + CPU_PATH, timeout=10.0)
        answer.raise_for_status()
        return float(answer.text)

    def stop(self) -> None:
        """Stop the server (this process started it)."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


STOP_SCRIPT: Final = Path(__file__).with_name("_portal_pages_stop.lua")
_SUMMARY = re.compile(r"^pages-summary (\{.*\})$", re.MULTILINE)


@attrs.frozen
class Load:
    """One wrk run against one page: what it cost the server."""

    requests: int
    server_cpu: float
    database_cpu: float

    @property
    def cpu_per_request(self) -> float:
        """The server process's CPU seconds per request."""
        return self.server_cpu / self.requests

    @property
    def database_per_request(self) -> float:
        """The database server's CPU seconds per request (PostgreSQL; 0 on SQLite)."""
        return self.database_cpu / self.requests


def load(  # noqa: PLR0917 - one run's every input
    server: Server,
    path: str,
    cookie: str,
    requests: int,
    database: DatabaseCpu,
    seconds_at_most: int = 30,
) -> Load:
    """Request *path* on *server* with wrk until *requests* answers came; return what it cost.

    wrk stops after *requests* answers (:file:`benchmarks/_portal_pages_stop.lua`)
    or *seconds_at_most*, whichever comes first. The requests counted are the
    ones wrk sent: the answered ones and those still in flight when it
    stopped, which the server serves all the same. Checks that every answer
    was a 200, and that the page still answers 200 afterwards.
    """
    command = [
        "wrk",
        "-t1",
        f"-c{CONNECTIONS}",
        f"-d{seconds_at_most}s",
        "--timeout",
        "10s",
        "-H",
        f"Cookie: {session_cookie()}={cookie}",
        "-s",
        str(STOP_SCRIPT),
        server.origin + path,
        "--",
        str(requests),
    ]
    before, database_before = server.cpu(), database.seconds()
    lines: list[str] = []
    with subprocess.Popen(  # noqa: S603
        command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    ) as wrk:
        assert wrk.stdout is not None
        for line in wrk.stdout:
            lines.append(line)
            if line.startswith("pages-done"):
                wrk.send_signal(signal.SIGINT)  # ends wrk's -d wait: enough answers came
    time.sleep(0.1)  # the requests still in flight when wrk stopped
    after, database_after = server.cpu(), database.seconds()
    output = "".join(lines)
    found = _SUMMARY.search(output)
    if found is None:
        raise RuntimeError(f"wrk gave no summary for {path}: {output}")
    summary = json.loads(found.group(1))
    if summary["answered"] == 0:
        raise RuntimeError(f"wrk reported no answers for {path}: {output}")
    if summary["other"]:
        raise RuntimeError(f"{path} answered {summary['other']} times not 200 under load")
    check = httpx.get(
        server.origin + path, cookies={session_cookie(): cookie}, follow_redirects=False
    )
    if check.status_code != 200:
        raise RuntimeError(f"{path} answers {check.status_code} after the run, not 200")
    return Load(int(summary["sent"]), after - before, database_after - database_before)


def requests_for(quickest: float, cpu_seconds: float) -> int:
    """Return how many requests cost a server about *cpu_seconds*, a request taking *quickest*.

    >>> requests_for(0.002, 0.25), requests_for(0.0001, 0.25), requests_for(0.5, 0.25)
    (125, 2000, 40)
    """
    return min(max(round(cpu_seconds / max(quickest, 1e-6)), 40), 2_000)


# --- sign-ins per second ------------------------------------------------------------------

_FORM_TOKEN = re.compile(r'name="form_token" value="([^"]+)"')


def sign_ins_per_second(origin: str, logins: Sequence[str], seconds: float, at_least: int) -> float:
    """Run password steps of /sign-in from ``len(logins)`` clients; return the completed per s."""
    done: list[int] = []
    failed: list[str] = []
    stop_at = time.monotonic() + seconds
    lock = threading.Lock()

    def client(login: str) -> None:
        with httpx.Client(base_url=origin, timeout=60.0) as http:
            count = 0
            while count < at_least or time.monotonic() < stop_at:
                form = http.get("/sign-in")
                token = _FORM_TOKEN.search(form.text)
                if token is None:
                    failed.append("no form token on /sign-in")
                    return
                answer = http.post(
                    "/sign-in",
                    data={"login_name": login, "password": PASSWORD, "form_token": token.group(1)},
                    headers={"Origin": origin},
                )
                if answer.status_code != 303 or answer.headers["location"] != "/sign-in/code":
                    failed.append(f"{login}: {answer.status_code} {answer.headers.get('location')}")
                    return
                count += 1
            with lock:
                done.append(count)

    started = time.monotonic()
    threads = [threading.Thread(target=client, args=(login,)) for login in logins]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    if failed:
        raise RuntimeError(f"a sign-in failed: {failed[0]}")
    return sum(done) / elapsed


# --- one database -------------------------------------------------------------------------


@attrs.frozen
class PageResult:
    """One page's figures on one database: the medians of its interleaved rounds."""

    path: str
    ratio: float
    """The median of the rounds' ratios (examkit's CPU per request over the baseline's)."""
    examkit_us: float
    baseline_us: float
    examkit_db_us: float
    baseline_db_us: float
    requests: int
    spread: tuple[float, float]
    """The lowest and the highest round's ratio."""


def measure_page(
    servers: Mapping[str, Server],
    path: str,
    cookie: str,
    *,
    quickest: float,
    rounds: int,
    cpu_seconds: float,
    database: DatabaseCpu,
    seconds_at_most: int,
) -> PageResult:
    """Load *path* on both servers in *rounds* interleaved rounds; return the medians.

    First a baseline run sized from the warm-up's quickest answer gives the
    template's CPU per request; each measured run then sends as many requests
    as cost the baseline about *cpu_seconds* (the same number on both sides).
    Each round
    loads examkit and the baseline back to back (the order alternating) and
    gives one ratio; the page's ratio is their median, so one round disturbed
    by other work on the machine does not make the figure.
    """
    probe = load(
        servers["baseline"],
        path,
        cookie,
        requests_for(quickest, cpu_seconds),
        database,
        seconds_at_most,
    )
    count = requests_for(probe.cpu_per_request, cpu_seconds)
    runs: dict[str, list[Load]] = {"examkit": [], "baseline": []}
    ratios: list[float] = []
    for round_ in range(rounds):
        order = ("examkit", "baseline") if round_ % 2 == 0 else ("baseline", "examkit")
        for variant in order:
            runs[variant].append(
                load(servers[variant], path, cookie, count, database, seconds_at_most)
            )
        ratios.append(runs["examkit"][-1].cpu_per_request / runs["baseline"][-1].cpu_per_request)

    def middle(variant: str, figure: Callable[[Load], float]) -> float:
        return statistics.median(figure(run) for run in runs[variant]) * 1e6

    return PageResult(
        path=path,
        ratio=statistics.median(ratios),
        examkit_us=middle("examkit", lambda run: run.cpu_per_request),
        baseline_us=middle("baseline", lambda run: run.cpu_per_request),
        examkit_db_us=middle("examkit", lambda run: run.database_per_request),
        baseline_db_us=middle("baseline", lambda run: run.database_per_request),
        requests=probe.requests + sum(run.requests for r in runs.values() for run in r),
        spread=(min(ratios), max(ratios)),
    )


@attrs.frozen
class DatabaseResult:
    """Every measured page of one database, the skipped ones, and the sign-in rate."""

    pages: dict[str, PageResult]
    skipped: dict[str, str]
    unmet_actions: list[str]
    sign_ins: float | None


def measure_database(
    name: str,
    url: str,
    *,
    size: Size,
    rounds: int,
    cpu_seconds: float,
    seconds_at_most: int,
    sign_in_seconds: float | None,
    sign_in_clients: int,
    folder: Path,
    database: DatabaseCpu,
    pages_at_most: int | None = None,
) -> DatabaseResult:
    """Build the data set at *url*, serve both variants, load every page; return the figures.

    With *pages_at_most* (``--smoke``), only that many pages are loaded, the
    others listed as skipped: a smoke run shows the benchmark works, in seconds.
    """
    started = time.monotonic()
    kit, app = build_portal(url, 0)
    try:
        data = build_data_set(kit, size, sign_in_clients)
        pages = signed_in_pages(app)
        unmet = give_every_needed_role(kit, data, pages)
        cookie, _ = kit.web_sessions.start(data.admin)
        filled, skipped = fill_paths(app, pages, data.values, cookie)
    finally:
        kit.close()
    if pages_at_most is not None:
        kept = sorted(filled)[:pages_at_most]
        skipped = {
            **skipped,
            **{p: f"--smoke loads {pages_at_most} pages only" for p in filled if p not in kept},
        }
        filled = {pattern: filled[pattern] for pattern in kept}
    print(
        f"[{name}] data set in {time.monotonic() - started:.1f} s; pages {sorted(filled)};"
        f" skipped {skipped or 'none'}",
        flush=True,
    )
    servers = {
        variant: Server(url, variant, folder, filled, cookie) for variant in ("examkit", "baseline")
    }
    results: dict[str, PageResult] = {}
    rate: float | None = None
    try:
        quickest: dict[str, float] = {}
        for variant, server in servers.items():
            server.wait_ready()
            took = server.warm_up(filled.values(), cookie)
            if variant == "examkit":
                quickest = took
        for pattern, path in filled.items():
            results[pattern] = measure_page(
                servers,
                path,
                cookie,
                quickest=quickest[path],
                rounds=rounds,
                cpu_seconds=cpu_seconds,
                database=database,
                seconds_at_most=seconds_at_most,
            )
            shown = results[pattern]
            print(
                f"[{name}] {pattern:<28} examkit {shown.examkit_us:8.0f} µs/request,"
                f" baseline {shown.baseline_us:8.0f} µs/request: ratio {shown.ratio:.2f}"
                f" (rounds {shown.spread[0]:.2f}-{shown.spread[1]:.2f})"
                + (
                    f" (database: {shown.examkit_db_us:.0f} vs {shown.baseline_db_us:.0f} µs)"
                    if database.postmaster is not None
                    else ""
                ),
                flush=True,
            )
        if sign_in_seconds is not None:
            rate = sign_ins_per_second(
                servers["examkit"].origin,
                data.sign_in_logins,
                sign_in_seconds,
                at_least=1,
            )
            print(f"[{name}] sign-ins (password step, argon2): {rate:.2f} per second", flush=True)
    finally:
        for server in servers.values():
            server.stop()
    return DatabaseResult(results, skipped, unmet, rate)


def postmaster_pid(cluster: PostgresCluster, database: str) -> int | None:
    """Return the process id of *cluster*'s postmaster (asked through *database*), or None."""
    import psycopg

    with psycopg.connect(
        host="127.0.0.1", port=cluster.port, user="postgres", dbname=database
    ) as connection:
        row = connection.execute("SHOW data_directory").fetchone()
    try:
        return int((Path(str(row[0])) / "postmaster.pid").read_text().split()[0]) if row else None
    except (OSError, ValueError, IndexError):
        return None


def stop_on_sigterm(signum: int, _: FrameType | None) -> None:
    """Leave on SIGTERM as on an error, so the servers and the cluster are stopped."""
    raise SystemExit(128 + signum)


@contextmanager
def temporary_folder(prefix: str) -> Iterator[Path]:
    """A fresh folder named from *prefix*, removed with all it holds afterwards."""
    folder = Path(tempfile.mkdtemp(prefix=prefix))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def main() -> None:
    """Run the benchmark in the mode given on the command line."""
    mode = parse_mode(__doc__)
    if shutil.which("wrk") is None:
        print(
            "portal_pages: wrk is not installed (Debian: apt-get install -y wrk)", file=sys.stderr
        )
        sys.exit(2)
    size = SMOKE_SIZE if mode == "smoke" else FULL_SIZE
    rounds = by_mode(mode, smoke=1, quick=3, full=5)
    cpu_seconds = by_mode(mode, smoke=50, quick=100, full=500) / 1_000
    seconds_at_most = by_mode(mode, smoke=1, quick=5, full=15)
    sign_in_seconds = float(by_mode(mode, smoke=0, quick=5, full=20))
    pages_at_most = 3 if mode == "smoke" else None
    clients = 2 * (os.cpu_count() or 1)
    signal.signal(signal.SIGTERM, stop_on_sigterm)
    print(f"portal_pages: mode={mode}, data set {attrs.asdict(size)}, rounds={rounds}")
    results: dict[str, DatabaseResult] = {}
    postgres_note: str = "measured"
    with temporary_folder("examkit-portal-pages-") as folder:
        sqlite_url = f"sqlite:///{folder / 'portal.db'}"
        results["sqlite"] = measure_database(
            "sqlite",
            sqlite_url,
            size=size,
            rounds=rounds,
            cpu_seconds=cpu_seconds,
            seconds_at_most=seconds_at_most,
            sign_in_seconds=sign_in_seconds,
            sign_in_clients=by_mode(mode, smoke=1, quick=clients, full=clients),
            folder=folder,
            database=DatabaseCpu(None),
            pages_at_most=pages_at_most,
        )
        bin_dir = PostgresCluster.find_bin_dir()
        if bin_dir is None:
            postgres_note = "not installed"
            print("portal_pages: PostgreSQL is not installed; SQLite only", file=sys.stderr)
        else:
            cluster = postgres_cluster(bin_dir)
            try:
                cluster.start()
                cluster.create_database("portal_pages")
                results["postgres"] = measure_database(
                    "postgres",
                    cluster.url("portal_pages"),
                    size=size,
                    rounds=rounds,
                    cpu_seconds=cpu_seconds,
                    seconds_at_most=seconds_at_most,
                    sign_in_seconds=None,
                    sign_in_clients=0,
                    folder=folder,
                    database=DatabaseCpu(postmaster_pid(cluster, "portal_pages")),
                    pages_at_most=pages_at_most,
                )
            except PostgresUnavailable as error:
                postgres_note = f"unusable: {error}"
                print(f"portal_pages: PostgreSQL is unusable: {error}", file=sys.stderr)
            finally:
                cluster.stop()
    verdict(mode, size, results, postgres_note)


def verdict(
    mode: str, size: Size, results: Mapping[str, DatabaseResult], postgres_note: str
) -> None:
    """Print the figures and the JSON line: the largest page ratio of every database."""
    figures: dict[str, Figure] = {"mode": mode, "postgres": postgres_note}
    figures.update({f"data_{key}": value for key, value in attrs.asdict(size).items()})
    ratios: list[float] = []
    worst = ""
    for name, result in results.items():
        if not result.pages:
            raise SystemExit(f"portal_pages: no signed-in page could be measured on {name}")
        for pattern, page in result.pages.items():
            key = f"{name} {pattern}"
            figures[f"{key} ratio"] = round(page.ratio, 3)
            figures[f"{key} examkit_us"] = round(page.examkit_us, 1)
            figures[f"{key} baseline_us"] = round(page.baseline_us, 1)
            if name == "postgres":
                figures[f"{key} examkit_database_us"] = round(page.examkit_db_us, 1)
                figures[f"{key} baseline_database_us"] = round(page.baseline_db_us, 1)
            ratios.append(page.ratio)
            if page.ratio == max(ratios):
                worst = key
        figures[f"{name}_ratio"] = round(max(p.ratio for p in result.pages.values()), 3)
    first = next(iter(results.values()))
    figures["pages"] = len(first.pages)
    figures["skipped"] = json.dumps(first.skipped) if first.skipped else "none"
    if first.unmet_actions:
        figures["actions_no_role_gives"] = ", ".join(first.unmet_actions)
    figures["worst_page"] = worst
    rate = first.sign_ins
    figures["sign_ins_per_second"] = round(rate, 2) if rate is not None else "not measured"
    report("portal_pages", figures, max(ratios), TARGET)


if __name__ == "__main__":
    main()
