"""A review as a PDF (WeasyPrint): a cover with the account team and whom to write to with
feedback, then the review in its fixed order, charts drawn as SVG on the server."""

from typing import Any

from django.template.loader import render_to_string

from heedful.reviews.present import present


def render_pdf(content: dict[str, Any]) -> bytes:
    """The PDF of a review's ``content`` (``services.get_content``)."""
    # Imported here: WeasyPrint loads Pango when imported, which a page or command that makes
    # no PDF has no need to pay for.
    from weasyprint import HTML

    html = render_to_string("reviews/pdf.html", {"view": present(content, printing=True)})
    return HTML(string=html).write_pdf()
