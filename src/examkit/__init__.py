"""examkit: the domain of running Dutch and Flemish school tests and central exams.

The top level is small: the composition root :class:`Examkit` with its
:class:`Settings` and its :class:`Health`, the base error :class:`ExamkitError`,
and the version.
Everything else lives in its package (:mod:`examkit.identifiers`,
:mod:`examkit.org`, :mod:`examkit.storage`, ...). ``import examkit`` is
cheap: :class:`Examkit` and the rest are imported on first use, so the
command line and a program that needs one package pay only for that package.
"""

from typing import TYPE_CHECKING

from examkit._version import __version__

if TYPE_CHECKING:
    from examkit._health import Health
    from examkit._kit import Examkit, Settings
    from examkit.errors import ExamkitError
else:
    from examkit import _lazy

    __getattr__, __dir__ = _lazy.exports(
        __name__,
        {
            "Examkit": "examkit._kit",
            "Settings": "examkit._kit",
            "Health": "examkit._health",
            "ExamkitError": "examkit.errors",
        },
    )

__all__ = ["Examkit", "ExamkitError", "Health", "Settings", "__version__"]
