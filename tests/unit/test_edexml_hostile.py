"""Hostile EDEXML files: each refused by an explicit limit that it names, nothing leaked.

Every test here is bounded by the limits it sets or by the size of the file
it makes, never by a timeout.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from examkit.edexml import EdexmlRefused, Limits, inspect, parse
from examkit.errors import ConfigurationError

pytestmark = pytest.mark.req("EDX-1", "EDX-6")

MARKER = "examkit-private-0c5f9d"

HEAD = b"""<EDEX><school><schooljaar>2026-2027</schooljaar><brincode>22AB</brincode></school>
<leerlingen><leerling key="1"><roepnaam>A</roepnaam><jaargroep>4</jaargroep></leerling>"""
TAIL = b"</leerlingen></EDEX>"
XINCLUDE = "http://www.w3.org/2001/XInclude"


def refusal(data: bytes | Path, **limits: int) -> EdexmlRefused:
    """Return the refusal of *data* (failing the test if it is not refused)."""
    with pytest.raises(EdexmlRefused) as raised:
        inspect(data, limits=Limits(**limits))
    with pytest.raises(EdexmlRefused):
        parse(data, limits=Limits(**limits))
    return raised.value


@pytest.fixture
def listener() -> Iterator[tuple[int, list[bytes]]]:
    """Listen on a local port and record every connection made to it."""
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.bind(("127.0.0.1", 0))
    server.listen(5)
    server.settimeout(0.2)
    received: list[bytes] = []
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                connection, _ = server.accept()
            except TimeoutError:
                continue
            received.append(b"connected")
            connection.close()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield server.getsockname()[1], received
    finally:
        stop.set()
        thread.join()
        server.close()


def test_an_external_file_entity_is_refused_and_never_read(tmp_path: Path) -> None:
    """A DOCTYPE declaring an entity from a local file is refused; the file's text never shows."""
    secret = tmp_path / "secret.txt"
    secret.write_text(MARKER, encoding="utf-8")
    data = (
        f'<?xml version="1.0"?>\n<!DOCTYPE EDEX [<!ENTITY x SYSTEM "{secret.as_uri()}">]>\n'
        f"<EDEX><school><schooljaar>&x;</schooljaar></school></EDEX>"
    ).encode()
    refused = refusal(data)
    assert ("edexml.refused.doctype", "doctype") == (refused.code, refused.limit)
    assert MARKER not in str(refused)
    assert MARKER not in refused.message("nl")


def test_network_entities_and_schemas_are_never_fetched(listener: tuple[int, list[bytes]]) -> None:
    """Entities, DTDs and schema locations on the network are never fetched."""
    port, received = listener
    url = f"http://127.0.0.1:{port}/x"
    for data in (
        f'<!DOCTYPE EDEX [<!ENTITY x SYSTEM "{url}">]><EDEX>&x;</EDEX>'.encode(),
        f'<!DOCTYPE EDEX SYSTEM "{url}"><EDEX/>'.encode(),
    ):
        assert "doctype" == refusal(data).limit
    located = HEAD.replace(
        b"<EDEX>",
        b'<EDEX xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        + f'xsi:noNamespaceSchemaLocation="{url}" xsi:schemaLocation="urn:x {url}">'.encode(),
    )
    assert inspect(located + TAIL).valid
    included = HEAD + f'<xi:include xmlns:xi="{XINCLUDE}" href="{url}"/>'.encode()
    verdict = inspect(included + TAIL)
    assert ["edexml.element.unexpected"] == [problem.code for problem in verdict.errors]
    assert [] == received


def test_xinclude_is_never_processed(tmp_path: Path) -> None:
    """An XInclude element is just an element that does not belong; the file is not read."""
    secret = tmp_path / "leerling.xml"
    secret.write_text(f'<leerling key="9"><roepnaam>{MARKER}</roepnaam></leerling>', "utf-8")
    data = HEAD + f'<xi:include xmlns:xi="{XINCLUDE}" href="{secret}"/>'.encode()
    verdict = inspect(data + TAIL)
    assert (False, 1) == (verdict.valid, verdict.counts.pupils)
    assert MARKER not in repr(verdict.problems)


def test_billion_laughs_is_refused() -> None:
    """Nested entities that would expand to gigabytes are refused by the doctype limit."""
    entities = '<!ENTITY lol0 "lol">' + "".join(
        f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10}">' for n in range(1, 10)
    )
    data = f"<!DOCTYPE EDEX [{entities}]><EDEX><school>&lol9;</school></EDEX>".encode()
    assert ("edexml.refused.doctype", "doctype") == (refusal(data).code, refusal(data).limit)


def test_quadratic_blowup_is_refused() -> None:
    """One large entity repeated many times is refused by the doctype limit."""
    big = "x" * 50_000
    data = (
        f'<!DOCTYPE EDEX [<!ENTITY a "{big}">]><EDEX><school><commentaar>'
        + "&a;" * 20_000
        + "</commentaar></school></EDEX>"
    ).encode()
    assert "doctype" == refusal(data).limit


def test_deep_nesting_is_refused_by_the_depth_limit() -> None:
    """100,000 nested elements are refused at max_depth, with the line, naming the limit."""
    data = b"<EDEX>" + b"<a>" * 100_000 + b"</a>" * 100_000 + b"</EDEX>"
    refused = refusal(data)
    assert ("edexml.refused.depth", "max_depth", 32, 1) == (
        refused.code,
        refused.limit,
        refused.params["maximum"],
        refused.line,
    )
    assert "max_depth" in refused.message("en")
    assert 10 == refusal(data, max_depth=10).params["maximum"]


def test_a_huge_repeated_element_is_refused_by_the_element_limit() -> None:
    """A pupil with 200,000 group references is refused at max_elements."""
    data = (
        HEAD
        + b'<leerling key="2"><roepnaam>B</roepnaam>'
        + b'<groep key="g"/>' * 200_000
        + b"</leerling>"
        + TAIL
    )
    refused = refusal(data, max_elements=50_000)
    assert ("edexml.refused.elements", "max_elements", 50_000) == (
        refused.code,
        refused.limit,
        refused.params["maximum"],
    )
    assert "max_elements" in refused.message("nl")


def test_many_valid_pupils_are_refused_by_the_element_limit() -> None:
    """The element limit holds for a valid file too (the fast path counts as well)."""
    pupil = b'<leerling key="{n}"><roepnaam>A</roepnaam><jaargroep>4</jaargroep></leerling>'
    data = HEAD + b"".join(pupil.replace(b"{n}", str(n).encode()) for n in range(10, 2_000)) + TAIL
    assert inspect(data).valid
    assert "max_elements" == refusal(data, max_elements=1_000).limit


def test_an_oversized_file_is_refused_before_it_is_read(tmp_path: Path) -> None:
    """A file above max_bytes is refused, as bytes and as a path."""
    data = HEAD + b"<!-- " + b"x" * 10_000 + b" -->" + TAIL
    path = tmp_path / "big.xml"
    path.write_bytes(data)
    for source in (data, path):
        refused = refusal(source, max_bytes=5_000)
        assert ("edexml.refused.size", "max_bytes", 5_000) == (
            refused.code,
            refused.limit,
            refused.params["maximum"],
        )


def test_a_huge_text_is_refused_by_libxml2s_text_limit() -> None:
    """A text of more than ten million characters is refused, naming the text limit."""
    data = (
        b"<EDEX><school><schooljaar>2026-2027</schooljaar><commentaar>"
        + b"x" * 10_000_001
        + b"</commentaar></school>"
        + TAIL
    )
    refused = refusal(data)
    assert ("edexml.refused.text_length", "max_text_length") == (refused.code, refused.limit)


@pytest.mark.parametrize(
    "settings",
    [{"max_depth": 4}, {"max_depth": 300}, {"max_elements": 0}, {"max_bytes": -1}],
)
def test_limits_out_of_range_are_refused(settings: dict[str, int]) -> None:
    """A limit that cannot work is a configuration error, said at once."""
    with pytest.raises(ConfigurationError) as raised:
        Limits(**settings)
    assert "config.invalid" == raised.value.code


def test_a_doctype_before_a_broken_root_is_refused_unexpanded() -> None:
    """An entity bomb in an attribute of a root element that never starts is refused."""
    entities = '<!ENTITY lol0 "lol">' + "".join(
        f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10}">' for n in range(1, 10)
    )
    refused = refusal(f'<!DOCTYPE EDEX [{entities}]><EDEX a="&lol9;" b>'.encode())
    assert ("edexml.refused.doctype", "doctype") == (refused.code, refused.limit)
    broken = refusal(b'<!DOCTYPE EDEX [<!ENTITY a "b">]><EDEX a="1" b>')
    assert "doctype" == broken.limit
