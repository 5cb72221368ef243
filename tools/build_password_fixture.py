r"""Rebuild the tests' common passwords, ``zxcvbn-ts-top-passwords.txt``, from zxcvbn-ts.

Run at development time only; the fixture is in ``tests/known_answers/passwords/``.
It is taken from a package that the shipped blocklist is not built from
(see ``tools/build_common_passwords.py``): the common-password list of
``@zxcvbn-ts/language-common`` 4.1.3 on the npm registry (MIT),
``package/src/passwords.json``, which is ordered by frequency, most common
first. Fetch it with npm and pass the file::

    cd /tmp && npm pack @zxcvbn-ts/language-common@4.1.3
    python tools/build_password_fixture.py /tmp/zxcvbn-ts-language-common-4.1.3.tgz

The archive is checked against :data:`SHA256`. The fixture keeps, in the
list's order and unchanged, every entry that is among the 3,000 most common
of at least one of the :data:`MINIMUMS` (the least lengths of the presets:
8 for ``asvs-l1`` and ``asvs-l2``, 15 for ``nist``; and 6, the least length
of the presets weakened in the compliance tests), one a line; the package's
licence is written beside it.
"""

from __future__ import annotations

import hashlib
import io
import json
import sys
import tarfile
from pathlib import Path

FIXTURES = Path(__file__).resolve().parents[1] / "tests/known_answers/passwords"
TARGET = FIXTURES / "zxcvbn-ts-top-passwords.txt"
LICENCE = FIXTURES / "zxcvbn-ts-LICENSE.txt"
ARCHIVE = "zxcvbn-ts-language-common-4.1.3.tgz"
SHA256 = "bf3027c16c069d7877e25dc8751bc819e10e479afcc5ee1a323eb2ab73129ca9"
MINIMUMS = (6, 8, 15)
COUNT = 3000


def _member(archive: bytes, name: str) -> bytes:
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        member = tar.extractfile(name)
        if member is None:
            raise SystemExit(f"{name} is not a file in the archive")
        return member.read()


def top(entries: list[str]) -> list[str]:
    """Return the entries among the *COUNT* most common of some minimum length, in order."""
    taken = dict.fromkeys(MINIMUMS, 0)
    kept: list[str] = []
    for entry in entries:
        wanted = [minimum for minimum in MINIMUMS if len(entry) >= minimum]
        if any(taken[minimum] < COUNT for minimum in wanted):
            kept.append(entry)
        for minimum in wanted:
            taken[minimum] += 1
    return kept


def main(arguments: list[str]) -> None:
    """Write the fixture and the licence beside it; print how many entries it holds."""
    if len(arguments) != 1 or Path(arguments[0]).name != ARCHIVE:
        sys.exit(__doc__)
    archive = Path(arguments[0]).read_bytes()
    if hashlib.sha256(archive).hexdigest() != SHA256:
        sys.exit(f"{ARCHIVE}: sha256 differs from the one the fixture's README names")
    entries = json.loads(_member(archive, "package/src/passwords.json").decode("utf-8"))
    if not isinstance(entries, list) or not all(isinstance(entry, str) for entry in entries):
        raise SystemExit("passwords.json is not a list of texts")
    if any(entry != entry.strip() or "\n" in entry or not entry for entry in entries):
        raise SystemExit("passwords.json has an entry that one line cannot hold unchanged")
    kept = top(entries)
    TARGET.write_text("".join(f"{entry}\n" for entry in kept), encoding="utf-8")
    LICENCE.write_bytes(_member(archive, "package/LICENSE.txt"))
    for minimum in MINIMUMS:
        print(f"at least {minimum}: {min(COUNT, sum(len(e) >= minimum for e in kept)):,}")
    print(f"{len(kept):,} of {len(entries):,} entries written to {TARGET}")


if __name__ == "__main__":
    main(sys.argv[1:])
