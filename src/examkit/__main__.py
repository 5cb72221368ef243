"""Run the ``examkit`` command: ``python -m examkit``."""

from examkit.cli import main

raise SystemExit(main())
