"""The permission model: the matrix as data, grants in scope, the actor and the decision.

The matrix (:data:`MATRIX`) declares every system, action and role of the
exam system (Facet), the pupil-monitoring system (Cito), the practical-exam
app (CSPE), the end-test portal, the Flemish tests' school desk and
examkit's own operator, with who may grant which role. A :class:`Grant`
holds a role at locations (BRIN6), in classes, for a subject, or at a
Flemish school; an account's grants are its :class:`Authorization`.
:func:`may` decides over an :class:`Actor` (an account's grants, loaded
inside each use case's transaction by :func:`load_actor`). Pure values and
rules: the use cases that change grants are :mod:`examkit.roles`, and the
use-case unit (:mod:`examkit.usecase`, a layer above) loads its actor here.

>>> from datetime import datetime, timezone
>>> from examkit.identifiers import LocationCode
>>> at = datetime(2026, 9, 1, tzinfo=timezone.utc)
>>> proctor = Actor("acc-1", grants=[Grant.of("facet.proctor", [LocationCode("22AB00")],
...                                           granted_at=at)])
>>> may(proctor, "facet.monitor.release", LocationCode("22AB00"))
True
>>> may(proctor, "facet.sessions.plan", LocationCode("22AB00"))
False

Implements ROLE-1 to ROLE-6 and AUTH-11.
"""

from examkit.permissions._decide import (
    Actor,
    On,
    as_target,
    load_actor,
    may,
    require,
)
from examkit.permissions._matrix import (
    ACTIONS,
    MATRIX,
    OPERATOR,
    ROLES,
    SYSTEMS,
    Action,
    MatrixError,
    Onboarding,
    Operation,
    PermissionMatrix,
    Role,
    ScopeKind,
    System,
)
from examkit.permissions._model import (
    Access,
    Authorization,
    ClassRef,
    Grant,
    HasTarget,
    Place,
    Subject,
    Target,
)
from examkit.permissions._records import (
    AUTHORIZATIONS,
    AuthorizationRecords,
    grant_filter,
)
from examkit.permissions._render import (
    matrix_json,
    matrix_markdown,
)
from examkit.permissions._repository import (
    AuthorizationRepository,
)

__all__ = [
    "ACTIONS",
    "AUTHORIZATIONS",
    "MATRIX",
    "OPERATOR",
    "ROLES",
    "SYSTEMS",
    "Access",
    "Action",
    "Actor",
    "Authorization",
    "AuthorizationRecords",
    "AuthorizationRepository",
    "ClassRef",
    "Grant",
    "HasTarget",
    "MatrixError",
    "On",
    "Onboarding",
    "Operation",
    "PermissionMatrix",
    "Place",
    "Role",
    "ScopeKind",
    "Subject",
    "System",
    "Target",
    "as_target",
    "grant_filter",
    "load_actor",
    "matrix_json",
    "matrix_markdown",
    "may",
    "require",
]
