"""A Sphinx directive that shows a printed document as an image, rendered at build time.

``.. examkit-document-image:: account-application`` renders the document
from the sample data with examkit's own code
(:func:`examkit.testing.documents.render_samples`), draws its first page
with pypdfium2 (PDFium from a wheel, no system tool) and shows the PNG.
The image is a build product: it is written under ``docs/_generated``
(ignored by git) at every build, so it always shows what the code prints.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar

import pypdfium2
from docutils import nodes  # type: ignore[import-untyped, unused-ignore]
from docutils.parsers.rst import Directive, directives  # type: ignore[import-untyped, unused-ignore]
from sphinx.application import Sphinx

from examkit.testing.documents import render_samples

GENERATED = "_generated"
"""The folder under the docs' source folder that receives the images (ignored by git)."""


def render_page_png(pdf: bytes, target: Path, *, page: int = 0, scale: float = 1.5) -> None:
    """Draw *page* of *pdf* with pdfium and write it to *target* as PNG."""
    document = pypdfium2.PdfDocument(pdf)
    try:
        image = document[page].render(scale=scale).to_pil()
    finally:
        document.close()
    target.parent.mkdir(parents=True, exist_ok=True)
    image.save(target, format="PNG")


class DocumentImage(Directive):  # type: ignore[misc, unused-ignore]
    """Show a page of one of the sample documents, rendered at build time."""

    required_arguments = 1
    has_content = False
    option_spec: ClassVar[dict[str, Any]] = {"page": directives.nonnegative_int}

    def run(self) -> list[Any]:
        kind = str(self.arguments[0])
        documents = render_samples()
        if kind not in documents:
            raise self.error(f"no sample document {kind!r}; known: {sorted(documents)}")
        page = int(self.options.get("page", 1)) - 1
        env = self.state.document.settings.env
        name = f"{kind}-page{page + 1}.png"
        render_page_png(documents[kind], Path(env.srcdir) / GENERATED / name, page=page)
        image = nodes.image(
            uri=f"/{GENERATED}/{name}",
            alt=f"Page {page + 1} of the {kind} document, as examkit prints it",
        )
        image["classes"].append("examkit-document")
        return [image]


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_directive("examkit-document-image", DocumentImage)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
