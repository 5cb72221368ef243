# Tests write `expected == actual` (STYLE.md), which ruff calls a Yoda condition.
"""Exam packages: published as content addressed by SHA-256, read by range, verified."""

from __future__ import annotations

import base64
import hashlib

import attrs
import pytest

from examkit import Examkit
from examkit.errors import AlreadyExists, ExamkitError, InvalidInput, InvalidState, NotPermitted
from examkit.offline import (
    CHUNK_SIZE,
    ExamPackage,
    assemble_verified,
    missing_from,
    read_range,
    store_chunk,
    verified_content,
)
from examkit.testing import Wiring
from examkit.testing.sessions import EXAM, FT_EXAM, OPERATOR

CONTENT = bytes(range(256)) * (CHUNK_SIZE // 128) + b"tail"
"""Two whole chunks and four bytes: three chunks."""


@pytest.mark.req("SCH-8")
def test_publishing_stores_chunks_under_the_sha256_and_is_idempotent(
    kit: Examkit, wiring: Wiring
) -> None:
    package = kit.exam_packages.publish(OPERATOR, EXAM.code, CONTENT, "application/zip")
    assert hashlib.sha256(CONTENT).hexdigest() == package.digest
    assert (len(CONTENT), 3, True) == (package.size, package.chunks, package.verified)
    with kit.backend.begin(readonly=True) as uow:
        chunks = uow.package_chunks.of_package(package.digest)
    assert [0, 1, 2] == [chunk.index for chunk in chunks]
    assert CONTENT == b"".join(base64.b64decode(chunk.data) for chunk in chunks)
    again = kit.exam_packages.publish(OPERATOR, EXAM.code, CONTENT, "application/zip")
    assert (package, package.version) == (again, again.version)
    assert (package,) == kit.exam_packages.packages(EXAM.code)
    assert CONTENT == kit.exam_packages.content(EXAM.code)
    assert CONTENT == kit.exam_packages.content(package.digest)
    assert 1 == wiring.audit.actions().count("offline.package.published")


@pytest.mark.req("SCH-8")
def test_publishing_is_refused_without_the_permission_or_with_bad_input(kit: Examkit) -> None:
    with pytest.raises(NotPermitted):
        kit.exam_packages.publish("planner", EXAM.code, CONTENT, "application/zip")
    with pytest.raises(InvalidInput) as empty:
        kit.exam_packages.publish(OPERATOR, EXAM.code, b"", "application/zip")
    assert ("offline.package.empty", "content") == (empty.value.code, empty.value.field)
    with pytest.raises(InvalidInput) as media:
        kit.exam_packages.publish(OPERATOR, EXAM.code, CONTENT, "zip please")
    assert ("offline.package.media_type", "media_type") == (media.value.code, media.value.field)
    kit.exam_packages.publish(OPERATOR, EXAM.code, b"same", "text/plain")
    with pytest.raises(AlreadyExists) as other:
        kit.exam_packages.publish(OPERATOR, FT_EXAM.code, b"same", "text/plain")
    assert "offline.package.other_exam" == other.value.code
    assert () == kit.exam_packages.packages(FT_EXAM.code)


@pytest.mark.req("SCH-8")
@pytest.mark.parametrize("start", [0, 1, CHUNK_SIZE - 1, CHUNK_SIZE, 2 * CHUNK_SIZE + 3])
def test_a_range_is_the_content_from_its_start(kit: Examkit, start: int) -> None:
    package = kit.exam_packages.publish(OPERATOR, EXAM.code, CONTENT, "application/zip")
    with kit.backend.begin(readonly=True) as uow:
        assert CONTENT[start:] == read_range(uow, package.digest, start)


@pytest.mark.req("SCH-8")
def test_a_range_outside_the_content_or_a_bad_digest_is_refused(kit: Examkit) -> None:
    package = kit.exam_packages.publish(OPERATOR, EXAM.code, CONTENT, "application/zip")
    with kit.backend.begin(readonly=True) as uow:
        for start in (-1, len(CONTENT)):
            with pytest.raises(InvalidInput) as outside:
                read_range(uow, package.digest, start)
            assert "offline.package.range" == outside.value.code
        with pytest.raises(InvalidInput) as form:
            read_range(uow, "not-a-digest", 0)
        assert "offline.package.digest_form" == form.value.code


def offline_copy(kit: Examkit, package: ExamPackage) -> ExamPackage:
    """Store *package*'s description on a fresh store as the down entry brings it: unverified."""
    description = attrs.evolve(package, verified=False, version=0)
    with kit.backend.begin() as uow:
        stored = uow.exam_packages.add(description)
        uow.commit()
    return stored


@pytest.mark.req("SCH-8")
def test_the_offline_side_assembles_resumably_and_verifies_before_use(kit: Examkit) -> None:
    package = kit.exam_packages.publish(OPERATOR, EXAM.code, CONTENT, "application/zip")
    with kit.backend.begin() as uow:
        for chunk in uow.package_chunks.of_package(package.digest):
            uow.package_chunks.remove(chunk.id)
        uow.exam_packages.remove(package.digest)
        uow.commit()
    copy = offline_copy(kit, package)
    with kit.backend.begin() as uow:
        assert 0 == missing_from(uow, copy.digest)
        store_chunk(uow, copy, 0, CONTENT[:CHUNK_SIZE])
        assert 1 == missing_from(uow, copy.digest)
        assert assemble_verified(uow, copy.digest) is None
        with pytest.raises(InvalidState) as unverified:
            verified_content(uow, EXAM.code)
        assert "offline.package.unverified" == unverified.value.code
        with pytest.raises(InvalidState):
            verified_content(uow, copy.digest)
        store_chunk(uow, copy, 2, CONTENT[2 * CHUNK_SIZE :])
        assert 1 == missing_from(uow, copy.digest)
        store_chunk(uow, copy, 1, CONTENT[CHUNK_SIZE : 2 * CHUNK_SIZE])
        assert 3 == missing_from(uow, copy.digest)
        assert CONTENT == assemble_verified(uow, copy.digest)
        assert uow.exam_packages.get(copy.digest).verified
        assert CONTENT == verified_content(uow, EXAM.code)
        uow.commit()


@pytest.mark.req("SCH-8")
def test_a_corrupt_chunk_is_found_by_the_digest_and_every_chunk_dropped(kit: Examkit) -> None:
    package = kit.exam_packages.publish(OPERATOR, EXAM.code, CONTENT, "application/zip")
    with kit.backend.begin() as uow:
        for chunk in uow.package_chunks.of_package(package.digest):
            uow.package_chunks.remove(chunk.id)
        uow.exam_packages.remove(package.digest)
        uow.commit()
    copy = offline_copy(kit, package)
    corrupt = bytearray(CONTENT[CHUNK_SIZE : 2 * CHUNK_SIZE])
    corrupt[7] ^= 0xFF
    with kit.backend.begin() as uow:
        store_chunk(uow, copy, 0, CONTENT[:CHUNK_SIZE])
        store_chunk(uow, copy, 1, bytes(corrupt))
        store_chunk(uow, copy, 2, CONTENT[2 * CHUNK_SIZE :])
        with pytest.raises(ExamkitError) as mismatch:
            assemble_verified(uow, copy.digest)
        assert "offline.package.digest" == mismatch.value.code
        uow.commit()
    with kit.backend.begin(readonly=True) as uow:
        assert () == uow.package_chunks.of_package(copy.digest)
        assert not uow.exam_packages.get(copy.digest).verified
        assert 0 == missing_from(uow, copy.digest)


@pytest.mark.req("SCH-8")
@pytest.mark.parametrize(("index", "size"), [(0, CHUNK_SIZE - 1), (2, 5), (3, 4), (-1, 4)])
def test_a_chunk_of_the_wrong_length_or_place_is_refused(
    kit: Examkit, index: int, size: int
) -> None:
    package = kit.exam_packages.publish(OPERATOR, EXAM.code, CONTENT, "application/zip")
    with kit.backend.begin() as uow, pytest.raises(InvalidInput) as refused:
        store_chunk(uow, package, index, b"x" * size)
    assert ("offline.package.chunk", "data") == (refused.value.code, refused.value.field)
