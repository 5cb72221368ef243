"""Rebuild ``src/examkit/passwords/_common_passwords.py`` from the zxcvbn package.

Run at development time only, never at run time or in the tests::

    python -m pip download --no-deps zxcvbn==4.5.0 -d /tmp/zxcvbn
    python -m pip install --no-deps --target /tmp/zxcvbn-lib /tmp/zxcvbn/zxcvbn-4.5.0-*.whl
    PYTHONPATH=/tmp/zxcvbn-lib python tools/build_common_passwords.py

The list is zxcvbn's ``passwords`` frequency list (MIT; see
``_common_passwords.LICENSE.txt`` beside the generated module), written one
entry a line in zxcvbn's order (most common first), each entry
NFKC-normalised and case-folded as examkit compares them. Nothing else is
added or removed. The data is a Python module, not a data file, so that the
domain reads it without any file I/O (importing it is all it takes).
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import sys
import unicodedata
from pathlib import Path

TARGET = Path(__file__).resolve().parents[1] / "src/examkit/passwords/_common_passwords.py"
EXPECTED_VERSION = "4.5.0"

HEADER = '''"""Common passwords: the blocklist shipped with examkit (generated; do not edit).

{count} passwords, most common first, NFKC-normalised and case-folded: the
``passwords`` frequency list of zxcvbn {version} (PyPI ``zxcvbn``, itself from
Dropbox's zxcvbn, which built it from Mark Burnett's password data set of
published breaches). MIT licence: see ``_common_passwords.LICENSE.txt``
beside this file. Rebuilt by ``tools/build_common_passwords.py``. The
sha256 of the text of ``PASSWORDS``:
{digest}
"""

PASSWORDS = """\\
'''


def main() -> None:
    """Write the module and print how many entries it holds."""
    from zxcvbn.frequency_lists import FREQUENCY_LISTS  # type: ignore[import-not-found]

    version = importlib.metadata.version("zxcvbn")
    if version != EXPECTED_VERSION:
        sys.exit(f"zxcvbn {version} found; the provenance note names {EXPECTED_VERSION}")
    entries: list[str] = []
    seen: set[str] = set()
    for entry in FREQUENCY_LISTS["passwords"]:
        folded = unicodedata.normalize("NFKC", entry).casefold()
        if not folded or folded in seen:
            continue
        if not folded.isprintable() or "\\" in folded or '"' in folded:
            sys.exit(f"entry {folded!r} cannot be written into the module as it is")
        seen.add(folded)
        entries.append(folded)
    body = "".join(f"{entry}\n" for entry in entries)
    digest = hashlib.sha256(body.encode()).hexdigest()
    header = HEADER.format(count=f"{len(entries):,}", version=version, digest=digest)
    TARGET.write_text(f'{header}{body}"""\n', encoding="utf-8")
    print(f"{len(entries)} entries written to {TARGET} (sha256 {digest})")


if __name__ == "__main__":
    main()
