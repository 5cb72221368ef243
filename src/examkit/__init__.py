"""examkit: the domain of running Dutch and Flemish school tests and central exams.

The top level is small: the composition root :class:`Examkit` with its
:class:`Settings`, the base error :class:`ExamkitError`, and the version.
Everything else lives in its package (:mod:`examkit.identifiers`,
:mod:`examkit.org`, :mod:`examkit.storage`, ...).
"""

from examkit._kit import Examkit, Settings
from examkit._version import __version__
from examkit.errors import ExamkitError

__all__ = ["Examkit", "ExamkitError", "Settings", "__version__"]
