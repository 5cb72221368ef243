"""Sphinx configuration of the examkit documentation.

Build with ``make docs`` and ``make doctest`` (``sphinx-build -n -W``): every
reference must resolve and every doctest must pass.
"""

from __future__ import annotations

import sys
from pathlib import Path

import examkit

DOCS = Path(__file__).resolve().parent
sys.path.insert(0, str(DOCS / "_ext"))

# -- Project ---------------------------------------------------------------

project = "examkit"
author = "The examkit developers"
copyright = "the examkit developers; MIT licence"
release = examkit.__version__
version = ".".join(release.split(".")[:2])

# -- General ---------------------------------------------------------------

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.napoleon",
    "sphinx.ext.doctest",
    "sphinx.ext.viewcode",
    "myst_parser",
    "examkit_docs",
    "examkit_scoring_plot",
    "examkit_sessions_docs",
    "examkit_correction_docs",
    "examkit_auth_docs",
    "examkit_documents_docs",
    "examkit_erasure_docs",
    "examkit_privacy_docs",
    "examkit_privacy_export_docs",
]

source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
root_doc = "index"
exclude_patterns = ["_build", "_ext", "_examples", "_generated", "Thumbs.db", ".DS_Store"]
language = "en"
nitpicky = True

# References to types outside examkit cannot resolve without intersphinx
# (which needs the network); only those are ignored here, never examkit's own
# names. Builtins and ``typing`` resolve by themselves.
_EXTERNAL_MODULES = (
    "_pytest",
    "alembic",
    "argparse",
    "ast",
    "attr",
    "attrs",
    "cattrs",
    "collections",
    "contextlib",
    "datetime",
    "decimal",
    "email",
    "enum",
    "functools",
    "hashlib",
    "hmac",
    "httpx",
    "joserfc",
    "hypothesis",
    "io",
    "json",
    "logging",
    "os",
    "lxml",
    "pathlib",
    "pluggy",
    "psycopg",
    "pytest",
    "random",
    "re",
    "reportlab",
    "secrets",
    "smtplib",
    "socket",
    "sqlalchemy",
    "sqlite3",
    "string",
    "sys",
    "tempfile",
    "threading",
    "time",
    "types",
    "typing",
    "typing_extensions",
    "urllib",
    "uuid",
    "zoneinfo",
    "numpy",
    "fractions",
)
nitpick_ignore_regex = [
    (r"py:.*", rf"({'|'.join(_EXTERNAL_MODULES)})(\..+)?"),
    # Hints written with a name imported only for type checking, e.g.
    # ``from datetime import datetime`` under ``if TYPE_CHECKING:``.
    (r"py:class", r"date|datetime|timedelta|timezone|Path"),
    # Sphinx's name for an alias of autodoc_type_aliases inside a union
    # (``Lang | None``); the alias itself links (examkit.notifications.language).
    (r"py:class", r"TypeAliasForwardRef"),
    # the SQL transaction's constructor takes its backend's compiled statements, a
    # private part the backend hands it (SQLTransaction is documented, not made by users)
    (r"py:class", r"examkit\.backends\.sql\._transaction\.CompiledStatements"),
    # the ports' keyed digests (examkit._digests.Digester): private, shared by the packages
    # that store token digests; a portal never makes or calls one
    (r"py:class", r"Digester|examkit\._digests\.Digester"),
]

# -- Autodoc and Napoleon --------------------------------------------------

# ``members`` is given on each ``automodule`` (a default of True would
# override an explicit member list there).
autodoc_default_options = {
    "member-order": "bysource",
    "show-inheritance": True,
}
autodoc_typehints = "signature"
autodoc_type_aliases = {
    "Lang": "examkit.messages.Lang",
    "AuditOutcome": "examkit.audit.AuditOutcome",
}
napoleon_google_docstring = True
napoleon_numpy_docstring = False
napoleon_use_rtype = False
napoleon_attr_annotations = True

# -- Doctest ---------------------------------------------------------------

# Plain ``>>>`` blocks of docstrings run under ``pytest --doctest-modules``
# with their module's globals; here only the pages' explicit doctest
# directives run, each page importing what it uses.
doctest_test_doctest_blocks = ""

# -- MyST ------------------------------------------------------------------

myst_enable_extensions = ["colon_fence", "deflist"]
myst_heading_anchors = 3

# -- HTML ------------------------------------------------------------------

html_theme = "alabaster"
html_title = f"examkit {release}"
html_static_path: list[str] = []
html_theme_options = {
    "description": "Dutch and Flemish school tests and central exams, as a library",
    "fixed_sidebar": True,
}

# -- The local extension (docs/_ext/examkit_docs.py) -----------------------

examkit_requirements_file = "requirements.md"
examkit_test_roots = ["../tests", "../src/examkit/testing/conformance"]
