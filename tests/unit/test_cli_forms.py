# Tests write `expected == actual` (STYLE.md), which ruff calls a Yoda condition.
"""``examkit forms account-application`` and the documents the demo writes."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path
from typing import Any

import pypdf
import pytest

from examkit.applications import application_to_json, example_application
from examkit.cli import EXIT_OK, EXIT_UNUSABLE, main

EXAMPLE = Path(__file__).parents[2] / "docs" / "_examples" / "account-application.json"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def text_of(pdf: Path) -> str:
    reader = pypdf.PdfReader(io.BytesIO(pdf.read_bytes()))
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))


@pytest.mark.req("DOC-1", "ACC-5")
def test_forms_writes_the_application_form_from_the_documented_example(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """The docs' example JSON becomes the two-page form with seed 000's values."""
    out_pdf = tmp_path / "aanvraag.pdf"
    code, out, err = run(capsys, "forms", "account-application", str(EXAMPLE), "-o", str(out_pdf))
    assert (EXIT_OK, "") == (code, err)
    assert str(out_pdf) == out.strip()
    text = text_of(out_pdf)
    for value in ("22AB00", "Helpdeskschool", "Klaas Beheerder", "22AB.K.Beheerder", "G. Jansen"):
        assert value in text


@pytest.mark.req("DOC-1")
def test_forms_gives_the_same_bytes_as_the_library(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """The command prints what account_application_pdf returns for the same application."""
    from examkit.documents import account_application_pdf

    source = tmp_path / "app.json"
    source.write_text(json.dumps(application_to_json(example_application())), encoding="utf-8")
    out_pdf = tmp_path / "out.pdf"
    assert (
        EXIT_OK == run(capsys, "forms", "account-application", str(source), "-o", str(out_pdf))[0]
    )
    assert account_application_pdf(example_application()) == out_pdf.read_bytes()


@pytest.mark.req("DOC-1")
def test_forms_refuses_a_file_that_is_no_json(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """Broken JSON exits 2 naming the line; no PDF is written."""
    source = tmp_path / "broken.json"
    source.write_text(
        '{"format": "examkit.account-application",\n  "school": }\n', encoding="utf-8"
    )
    out_pdf = tmp_path / "out.pdf"
    code, _, err = run(
        capsys, "--lang", "en", "forms", "account-application", str(source), "-o", str(out_pdf)
    )
    assert EXIT_UNUSABLE == code
    assert "line 2" in err
    assert "not valid JSON" in err
    assert not out_pdf.exists()


@pytest.mark.req("DOC-1")
def test_forms_refuses_an_unreadable_file(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """A missing file exits 2 and says it cannot be read."""
    code, _, err = run(
        capsys,
        "--lang",
        "en",
        "forms",
        "account-application",
        str(tmp_path / "missing.json"),
        "-o",
        str(tmp_path / "out.pdf"),
    )
    assert EXIT_UNUSABLE == code
    assert "cannot be read" in err


@pytest.mark.req("DOC-1", "ACC-2")
def test_forms_lists_every_problem_of_the_application(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """Two bad fields exit 2 with both listed, each by its place in the JSON form."""
    data: dict[str, Any] = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    data["administrator"]["phone_number"] = "0900 1234"
    data["administrator"]["login_name"] = "kort"
    source = tmp_path / "bad.json"
    source.write_text(json.dumps(data), encoding="utf-8")
    out_pdf = tmp_path / "out.pdf"
    code, _, err = run(capsys, "forms", "account-application", str(source), "-o", str(out_pdf))
    assert EXIT_UNUSABLE == code
    assert "administrator.phone_number" in err
    assert "administrator.login_name" in err
    assert not out_pdf.exists()


@pytest.mark.req("DOC-1", "DOC-2", "DOC-3", "DOC-4", "DOC-5")
def test_demo_writes_all_five_documents(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """The demo's documents chapter prints the form, slips, report, list and results."""
    code, out, _ = run(capsys, "demo", "--out", str(tmp_path))
    assert EXIT_OK == code
    expected = {
        "aanvraag-schoolaccount.pdf": ["Helpdeskschool", "30XY00", "30XY01", "Klaas Beheerder"],
        "inlogbriefjes.pdf": ["Natuurkunde (demo)", "Noëlle Çelik", "Aula"],
        "proces-verbaal.pdf": ["NA-DEMO-2026", "Brandalarm, 5 minuten"],
        "deelnamelijst.pdf": ["012345", "Lotte", "OKAN", "Aïcha El Amrani"],
        "resultaten-inzage.pdf": ["Natuurkunde (demo)", "Totaalscore", "Inzage"],
    }
    for name, values in expected.items():
        path = tmp_path / name
        assert f"Geschreven: {path}" in out
        text = text_of(path)
        assert [] == [value for value in values if value not in text]


@pytest.mark.req("ACC-3", "ACC-4", "DOC-1")
def test_forms_refuses_private_mail_addresses_as_the_wizard_does(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """A Gmail authority and a Hotmail administrator: exit 2, both named, nothing written."""
    data = application_to_json(example_application())
    data["administrator"]["email_address"] = "klaas.beheerder@hotmail.com"
    data["competent_authority"]["email_address"] = "g.jansen@gmail.com"
    source = tmp_path / "app.json"
    source.write_text(json.dumps(data), encoding="utf-8")
    out_pdf = tmp_path / "out.pdf"
    code, out, err = run(
        capsys, "forms", "account-application", str(source), "-o", str(out_pdf), "--lang", "en"
    )
    assert (EXIT_UNUSABLE, "") == (code, out)
    assert "administrator.email_address" in err
    assert "competent_authority.email_address" in err
    assert not out_pdf.exists()
