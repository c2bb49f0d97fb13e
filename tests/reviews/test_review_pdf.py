"""The review's PDF, read back as a customer would: its text with pdftotext (the metrics come
before scope and topics, every missed target is there, the overrun figures are right) and
its pages drawn with pdftoppm (each chart is on the page, above its caption)."""

import subprocess
from pathlib import Path

import pytest
from PIL import Image

from heedful.reviews import services
from heedful.reviews.models import TopicKind
from heedful.reviews.pdf import render_pdf
from heedful.reviews.periods import parse_period

DPI = 50
LINE_BLUE = (0x3B, 0x6F, 0xC2)
BAR_BLUE = (0x7E, 0xA6, 0xE0)
RED = (0xD2, 0x3C, 0x3C)


@pytest.fixture
def pdf(mixed, people, tmp_path: Path) -> Path:  # noqa: ANN001
    """The PDF of Q3 2026's draft review with commentary on a missed metric and a topic."""
    review = services.prepare(user=people.rep, account=mixed, period=parse_period("2026-Q3"))
    services.save_comment(
        user=people.rep, review=review, metric="First-call resolution %",
        what_happened="Ticket volume ran 35-40% above the contract in August and September.",
        what_we_are_doing="Two more agents from 1 October.", version="",
    )
    services.add_topic(user=people.rep, review=review, kind=TopicKind.SCOPE_CHANGE,
                       title="Scope for 5,500 tickets a month", text="To match the volume.")
    path = tmp_path / "review.pdf"
    path.write_bytes(render_pdf(services.get_content(review=review)))
    return path


def text_of(path: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True,
                          capture_output=True, text=True).stdout


def test_metrics_come_first_every_missed_target_is_there_and_overrun_is_right(
    pdf: Path,
) -> None:
    # when
    text = text_of(pdf)
    # then: the cover, then the customer's metrics, then scope, ..., our topics last
    order = [text.index(heading) for heading in (
        "Your account team", "1. Your service metrics", "2. The work we delivered",
        "3. Support", "4. Billing", "5. What we heard", "6. Our topics",
    )]
    assert order == sorted(order)
    metrics = text[order[1]:order[2]]
    assert "2 of 3 metrics missed their target in Q3 2026: Average speed of answer (s), " \
        "First-call resolution %." in " ".join(metrics.split())
    for missed in ("Missed in 2 of 3 months", "Missed in 1 of 3 months"):
        assert missed in metrics
    assert metrics.count("Missed\n") + metrics.count("Missed ") >= 3
    assert "Two more agents from 1 October." in metrics
    assert text.index("Tickets resolved within SLA %") > text.index("First-call resolution %")
    scope = " ".join(text[order[2]:order[3]].split())
    assert "Service desk tickets 12,000 15,120 3,120 26%" in scope
    assert "Desk-side visits 750 735 0 0%" in scope
    assert "4,000 5,420 1,420 35.5%" in scope
    assert "Scope for 5,500 tickets a month" in text[order[6]:]


def words_with_boxes(path: Path, tmp_path: Path) -> list[tuple[int, str, float]]:
    """(page, word, top in points) of every word, from pdftotext's bounding boxes."""
    html = tmp_path / "boxes.html"
    subprocess.run(["pdftotext", "-bbox", str(path), str(html)], check=True)
    found, page = [], 0
    for line in html.read_text().splitlines():
        if "<page " in line:
            page += 1
        elif "<word " in line:
            top = float(line.split('yMin="')[1].split('"')[0])
            found.append((page, line.split(">")[1].split("<")[0], top))
    return found


def count_colour(image: Image.Image, box: tuple[int, int, int, int],
                 colour: tuple[int, int, int]) -> int:
    region = image.crop(box).convert("RGB")
    colours = region.getcolors(region.width * region.height) or []
    return sum(count for count, pixel in colours
               if all(abs(a - b) <= 24 for a, b in zip(pixel, colour, strict=True)))


def test_each_chart_is_drawn_on_the_page_above_its_caption(pdf: Path, tmp_path: Path) -> None:
    # given: the pages as pictures
    subprocess.run(["pdftoppm", "-png", "-r", str(DPI), str(pdf), str(tmp_path / "page")],
                   check=True)
    pages = sorted(tmp_path.glob("page-*.png"))
    scale = DPI / 72
    captions = [(page, word, top) for page, word, top in words_with_boxes(pdf, tmp_path)
                if word in ("Twelve", "Delivered")]
    metric_captions = [c for c in captions if c[1] == "Twelve"]
    scope_captions = [c for c in captions if c[1] == "Delivered"]
    # then: three metric charts and two scope charts, each drawn just above its caption
    assert len(metric_captions) == 3
    assert len(scope_captions) >= 2
    for page, word, top in metric_captions + scope_captions[:2]:
        image = Image.open(pages[page - 1])
        bottom = int(top * scale)
        box = (0, max(0, bottom - int(150 * scale)), image.width, bottom)
        if word == "Twelve":
            assert count_colour(image, box, LINE_BLUE) > 30, f"no trend line above page {page}"
        else:
            drawn = count_colour(image, box, BAR_BLUE) + count_colour(image, box, RED)
            assert drawn > 100, f"no bars above the caption on page {page}"
