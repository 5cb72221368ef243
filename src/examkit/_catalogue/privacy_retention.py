"""Messages of the privacy operations: the retention jobs (PRIV-4)."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "privacy.retention.database": (
        "Geef de database met --db of in de omgevingsvariabele {variable}.",
        "Give the database with --db or in the environment variable {variable}.",
    ),
    "privacy.retention.option": (
        "{value} is geen TERMIJN=PERIODE met een bestaande bewaartermijn (pupil=2y, exam_work=6m).",
        "{value} is not TERM=PERIOD with an existing retention term (pupil=2y, exam_work=6m).",
    ),
    "privacy.retention.period": (
        "{value} is geen periode: schrijf jaren, maanden en dagen als 1y6m, 6m of 30d.",
        "{value} is not a period: write years, months and days as 1y6m, 6m or 30d.",
    ),
}
