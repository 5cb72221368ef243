"""Exam packages: immutable content addressed by its SHA-256, kept in chunks (SCH-8).

The central system publishes a test's content once (:meth:`ExamPackages.publish`):
it is stored in chunks of :data:`~examkit.offline.CHUNK_SIZE` bytes
(:class:`~examkit.offline.PackageChunk`, base64) under its digest, already
verified. The same content published twice is the same package.

An offline server fetches the content resumably: it asks for the bytes from
its first missing chunk (:func:`missing_from`, served centrally by
:func:`read_range`), stores each whole chunk as it arrives
(:func:`store_chunk`), and once every chunk is there joins and checks them
against the digest (:func:`assemble_verified`); only then is the package
``verified`` and usable (:func:`verified_content`).

The functions work on an open unit of work, so both sides call them inside
their own transactions.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
from datetime import datetime
from typing import TYPE_CHECKING, Final

import attrs

from examkit.errors import AlreadyExists, ExamkitError, InvalidInput, InvalidState
from examkit.offline._model import ExamPackage, PackageChunk, sequence_key
from examkit.offline._protocol import CHUNK_SIZE
from examkit.usecase import Ports, UseCase

if TYPE_CHECKING:
    from examkit.records import UnitOfWork

PUBLISH: Final = "examkit.exam_packages.publish"
"""The permission to publish a test's package (the operator's: the exam board's supplier)."""

_MEDIA_TYPE: Final = re.compile(r"[a-z0-9][a-z0-9.+-]{0,40}/[a-z0-9][a-z0-9.+-]{0,80}")
_DIGEST: Final = re.compile(r"[0-9a-f]{64}")


def content_digest(content: bytes) -> str:
    """Return the digest that addresses *content*: its SHA-256, hex.

    >>> content_digest(b"")[:12]
    'e3b0c44298fc'
    """
    return hashlib.sha256(content).hexdigest()


def check_digest(digest: str) -> str:
    """Return *digest* if it is a SHA-256 in lower-case hex.

    Raises:
        InvalidInput: ``offline.package.digest_form``.
    """
    if not isinstance(digest, str) or not _DIGEST.fullmatch(digest):
        raise InvalidInput("offline.package.digest_form", field="digest")
    return digest


def _encode(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _decode(chunk: PackageChunk) -> bytes:
    try:
        return base64.b64decode(chunk.data, validate=True)
    except (binascii.Error, ValueError):
        return b""  # an unreadable chunk never matches: the digest check drops it


def _chunk_key(digest: str, index: int) -> str:
    return sequence_key(digest, index)


def _expected_length(package: ExamPackage, index: int) -> int:
    return min(package.chunk_size, package.size - index * package.chunk_size)


def new_package(
    exam: str, content: bytes, media_type: str, *, published_at: datetime
) -> tuple[ExamPackage, tuple[PackageChunk, ...]]:
    """Return the verified package of *content* and its chunks (nothing stored).

    Raises:
        InvalidInput: ``offline.package.empty`` or ``offline.package.media_type``.
    """
    if not content:
        raise InvalidInput("offline.package.empty", field="content")
    if not isinstance(media_type, str) or not _MEDIA_TYPE.fullmatch(media_type):
        raise InvalidInput("offline.package.media_type", field="media_type", value=media_type)
    digest = content_digest(content)
    package = ExamPackage(
        digest=digest,
        exam=exam,
        size=len(content),
        chunk_size=CHUNK_SIZE,
        media_type=media_type,
        published_at=published_at,
        verified=True,
    )
    chunks = tuple(
        PackageChunk(digest, index, _encode(content[start : start + CHUNK_SIZE]))
        for index, start in enumerate(range(0, len(content), CHUNK_SIZE))
    )
    return package, chunks


def read_range(uow: UnitOfWork, digest: str, start: int = 0) -> bytes:
    """Return the content of the verified package *digest* from byte *start* to its end.

    Reads only the chunks from the one holding *start*.

    Raises:
        NotFound: there is no such package.
        InvalidState: ``offline.package.unverified``: it is not (yet) verified here.
        InvalidInput: ``offline.package.range``: *start* is not within the content.
    """
    package = uow.exam_packages.get(check_digest(digest))
    if not package.verified:
        raise InvalidState("offline.package.unverified", package=digest)
    if not isinstance(start, int) or start < 0 or start >= package.size:
        raise InvalidInput("offline.package.range", field="start", start=start, size=package.size)
    first = start // package.chunk_size
    keys = [_chunk_key(digest, index) for index in range(first, package.chunks)]
    found = uow.package_chunks.get_many(keys)
    if len(found) != len(keys):
        raise InvalidState("offline.package.unverified", package=digest)
    data = b"".join(_decode(found[key]) for key in keys)
    return data[start - first * package.chunk_size :]


def store_chunk(uow: UnitOfWork, package: ExamPackage, index: int, data: bytes) -> PackageChunk:
    """Store chunk *index* of *package* as fetched (set: a chunk stored again is replaced).

    Every chunk but the last is :attr:`~examkit.offline.ExamPackage.chunk_size`
    bytes long; the content is checked as a whole by :func:`assemble_verified`.

    Raises:
        InvalidInput: ``offline.package.chunk``: no such chunk, or not its length.
    """
    if not 0 <= index < package.chunks or len(data) != _expected_length(package, index):
        raise InvalidInput(
            "offline.package.chunk", field="data", index=index, package=package.digest
        )
    chunk = PackageChunk(package.digest, index, _encode(data))
    stored = uow.package_chunks.get_many([chunk.id]).get(chunk.id)
    if stored is None:
        return uow.package_chunks.add(chunk)
    if stored.data == chunk.data:
        return stored
    return uow.package_chunks.update(attrs.evolve(stored, data=chunk.data))


def missing_from(uow: UnitOfWork, digest: str) -> int:
    """Return the index of the first chunk of *digest* not stored here (its count: none).

    An offline server resumes its fetch at that chunk's first byte.

    Raises:
        NotFound: there is no such package.
    """
    package = uow.exam_packages.get(check_digest(digest))
    have = {chunk.index for chunk in uow.package_chunks.of_package(digest)}
    return next((index for index in range(package.chunks) if index not in have), package.chunks)


def assemble_verified(uow: UnitOfWork, digest: str) -> bytes | None:
    """Join the stored chunks of *digest*, check them against it and mark the package verified.

    Returns ``None`` while a chunk is missing. A package verified already is
    returned as it is.

    Raises:
        NotFound: there is no such package.
        examkit.errors.ExamkitError: ``offline.package.digest``: the joined chunks do not match
            the digest; every chunk of the package has been removed in *uow*, so
            the caller commits *uow* (the fetch starts over) and reports the error.
    """
    package = uow.exam_packages.get(check_digest(digest))
    chunks = {chunk.index: chunk for chunk in uow.package_chunks.of_package(digest)}
    if any(index not in chunks for index in range(package.chunks)):
        return None
    content = b"".join(_decode(chunks[index]) for index in range(package.chunks))
    if len(content) != package.size or content_digest(content) != digest:
        for chunk in chunks.values():
            uow.package_chunks.remove(chunk.id)
        if package.verified:
            uow.exam_packages.update(attrs.evolve(package, verified=False))
        raise ExamkitError("offline.package.digest", package=digest)
    if not package.verified:
        uow.exam_packages.update(attrs.evolve(package, verified=True))
    return content


def verified_content(uow: UnitOfWork, exam_or_digest: str) -> bytes:
    """Return the content of a verified package: by its digest, or a test's latest.

    An unverified package is never used: its content is refused even where
    every chunk is stored, and a content that no longer matches its digest
    is refused as well.

    Raises:
        InvalidState: ``offline.package.unverified``: no verified package.
    """
    found = uow.exam_packages.get_many([exam_or_digest]).get(exam_or_digest)
    if found is None:
        verified = [item for item in uow.exam_packages.of_exam(exam_or_digest) if item.verified]
        found = max(verified, key=lambda item: (item.published_at, item.digest), default=None)
    if found is None or not found.verified:
        raise InvalidState("offline.package.unverified", package=exam_or_digest)
    content = read_range(uow, found.digest, 0)
    if len(content) != found.size or content_digest(content) != found.digest:
        raise InvalidState("offline.package.unverified", package=exam_or_digest)
    return content


class ExamPackages:
    """Exam packages (``kit.exam_packages``): publish a test's content, read it back.

    Args:
        ports: The wired ports.

    Implements SCH-8.
    """

    def __init__(self, ports: Ports) -> None:
        self._ports = ports

    def publish(self, actor: str, exam_code: str, content: bytes, media_type: str) -> ExamPackage:
        """Publish *content* as a package of the test *exam_code*; the same content, the same one.

        Publishing content that is already a package of the test changes
        nothing and returns it.

        Raises:
            NotPermitted: *actor* may not publish packages.
            NotFound: there is no such test.
            AlreadyExists: ``offline.package.other_exam``: the content is another test's.
            InvalidInput: the content is empty or the media type unusable.

        Implements SCH-8.
        """
        subject = f"exam:{exam_code}"
        with UseCase(self._ports, "offline.package.published", subject, actor=actor) as unit:
            unit.require(PUBLISH)
            exam = unit.uow.exams.get(exam_code)
            package, chunks = new_package(exam.code, content, media_type, published_at=unit.now)
            stored = unit.uow.exam_packages.get_many([package.digest]).get(package.digest)
            if stored is not None:
                if stored.exam != exam.code:
                    raise AlreadyExists(
                        "offline.package.other_exam", package=package.digest, exam=stored.exam
                    )
                return stored
            stored = unit.uow.exam_packages.add(package)
            unit.uow.package_chunks.add_many(chunks)
            unit.audit(details={"package": package.digest, "size": str(package.size)})
            unit.commit()
        return stored

    def packages(self, exam_code: str) -> tuple[ExamPackage, ...]:
        """Return the packages of the test *exam_code*, oldest first.

        Implements SCH-8.
        """
        with self._ports.backend.begin(readonly=True) as uow:
            found = uow.exam_packages.of_exam(exam_code)
        return tuple(sorted(found, key=lambda item: (item.published_at, item.digest)))

    def package(self, digest: str) -> ExamPackage:
        """Return the package *digest*.

        Raises:
            NotFound: there is none.
            InvalidInput: *digest* is not a SHA-256.

        Implements SCH-8.
        """
        with self._ports.backend.begin(readonly=True) as uow:
            return uow.exam_packages.get(check_digest(digest))

    def content(self, exam_or_digest: str) -> bytes:
        """Return a verified package's content: by digest, or the test's latest.

        Raises:
            InvalidState: ``offline.package.unverified``: there is no verified package.

        Implements SCH-8.
        """
        with self._ports.backend.begin(readonly=True) as uow:
            return verified_content(uow, exam_or_digest)
