"""Photos in the report are upright, small, and carry no EXIF (no GPS position of the home)."""

from __future__ import annotations

import io

import pypdf
import pytest
from PIL import Image

from homeaudit import photos


def open_jpeg(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    assert image.format == "JPEG"
    return image


def top_and_bottom(image: Image.Image) -> tuple[tuple, tuple]:
    rgb = image.convert("RGB")
    return rgb.getpixel((rgb.width // 2, rgb.height // 8)), rgb.getpixel((rgb.width // 2, rgb.height * 7 // 8))


def is_red(pixel) -> bool:
    return pixel[0] > 180 and pixel[2] < 80


def is_blue(pixel) -> bool:
    return pixel[2] > 180 and pixel[0] < 80


def has_no_metadata(data: bytes) -> bool:
    image = open_jpeg(data)
    return (
        not image.getexif()
        and b"Exif\x00\x00" not in data
        and b"PhoneMaker" not in data
        and not {"exif", "xmp", "icc_profile", "comment"} & set(image.info)
    )


@pytest.mark.parametrize("orientation", [3, 6, 8])
def test_photo_is_turned_upright_from_its_exif_orientation(reports, orientation):
    photo = photos.prepare(reports.jpeg(300, 400, orientation=orientation))
    assert (photo.width, photo.height) == (300, 400)
    top, bottom = top_and_bottom(open_jpeg(photo.data))
    assert is_red(top) and is_blue(bottom)


def test_photo_loses_exif_and_gps(reports):
    source = reports.jpeg(400, 300, orientation=6, gps=True)
    assert Image.open(io.BytesIO(source)).getexif().get_ifd(0x8825), "the test photo carries a GPS position"
    assert has_no_metadata(photos.prepare(source).data)


def test_photo_is_scaled_down_to_the_long_side_limit(reports):
    photo = photos.prepare(reports.jpeg(4000, 3000))
    assert max(photo.width, photo.height) == photos.MAX_SIDE
    assert photo.width / photo.height == pytest.approx(4 / 3, rel=0.01)


def test_small_photo_is_not_enlarged(reports):
    photo = photos.prepare(reports.jpeg(320, 240))
    assert (photo.width, photo.height) == (320, 240)


def test_noisy_photo_is_squeezed_under_the_byte_budget(reports):
    photo = photos.prepare(reports.jpeg(2000, 1500, noise=True, seed=3))
    assert len(photo.data) <= photos.BUDGET


def test_transparent_png_is_flattened_on_white():
    image = Image.new("RGBA", (50, 40), (0, 0, 0, 0))
    out = io.BytesIO()
    image.save(out, format="PNG")
    photo = photos.prepare(out.getvalue())
    assert open_jpeg(photo.data).convert("RGB").getpixel((25, 20)) > (245, 245, 245)


def test_bytes_that_are_not_a_photo_raise_photo_error():
    with pytest.raises(photos.PhotoError):
        photos.prepare(b"GIF89a but not really")
    with pytest.raises(photos.PhotoError):
        photos.prepare(b"")


def test_prepare_many_keeps_order_and_reports_bad_photos_in_place(reports):
    results = photos.prepare_many([reports.jpeg(40, 30), b"broken", reports.jpeg(30, 40)])
    assert isinstance(results[1], photos.PhotoError)
    assert (results[0].width, results[2].width) == (40, 30)


def test_iphone_heic_photo_is_read_upright_and_stripped():
    pillow_heif = pytest.importorskip("pillow_heif")
    if not pillow_heif.libheif_info().get("encoders"):
        pytest.skip("this libheif build has no HEIC encoder, so no HEIC test file can be made")
    pillow_heif.register_heif_opener()
    upright = Image.new("RGB", (300, 400), (0, 0, 255))
    upright.paste((255, 0, 0), (0, 0, 300, 200))
    exif = Image.Exif()
    exif[0x0112] = 6
    exif[0x8825] = {1: "N", 2: (51.0, 30.0, 12.5)}
    out = io.BytesIO()
    upright.transpose(Image.Transpose.ROTATE_90).save(out, format="HEIF", exif=exif.tobytes(), quality=90)
    photo = photos.prepare(out.getvalue())
    assert (photo.width, photo.height) == (300, 400)
    top, bottom = top_and_bottom(open_jpeg(photo.data))
    assert is_red(top) and is_blue(bottom)
    assert has_no_metadata(photo.data)


# --------------------------------------------------------------------------- in the PDF


def audit_with_photos(reports, refs_per_item: list[tuple[str, ...]]):
    audit = reports.named()
    visit = audit.rooms[0]
    items = [i for i in reports.library.items_of(visit.room) if i.answer_type == "yes_no"]
    for item, refs in zip(items, refs_per_item, strict=False):  # more items than photo sets
        visit.answers[item.id] = reports.hazard_answer(item, note="See the photo.", photos=refs)
    return audit


def embedded_images(pdf: bytes) -> list:
    return [image for page in pypdf.PdfReader(io.BytesIO(pdf)).pages for image in page.images]


def test_photos_in_the_pdf_are_upright_and_carry_no_exif(reports):
    source = reports.jpeg(300, 400, orientation=6, gps=True)
    audit = audit_with_photos(reports, [("kitchen/rug.jpg",)])
    pdf = reports.pdf(audit, photo_loader={"kitchen/rug.jpg": source}.__getitem__)
    images = embedded_images(pdf)
    assert len(images) == 1
    data = images[0].data
    assert has_no_metadata(data)
    image = open_jpeg(data)
    assert image.size == (300, 400)
    top, bottom = top_and_bottom(image)
    assert is_red(top) and is_blue(bottom)
    assert b"PhoneMaker" not in pdf and b"Exif" not in pdf


def test_missing_and_unreadable_photos_are_named_in_the_report(reports):
    audit = audit_with_photos(reports, [("photos/gone.jpg",), ("photos/broken.jpg",)])
    blobs = {"photos/broken.jpg": b"not a photo"}
    text = reports.flat(" ".join(reports.pages(reports.pdf(audit, photo_loader=blobs.__getitem__))))
    assert "Photo missing: gone.jpg" in text
    assert "Photo could not be read: broken.jpg" in text


def test_a_loader_that_fails_in_its_own_way_costs_only_that_photo(reports):
    def loader(ref: str) -> bytes:
        raise RuntimeError("database is locked")

    audit = audit_with_photos(reports, [("db:17",)])
    text = reports.flat(" ".join(reports.pages(reports.pdf(audit, photo_loader=loader))))
    assert "Photo could not be loaded: db:17" in text


def test_without_a_loader_the_report_says_photos_were_left_out(reports):
    audit = audit_with_photos(reports, [("photos/a.jpg",)])
    text = reports.flat(" ".join(reports.pages(reports.pdf(audit))))
    assert "Photo not included: a.jpg" in text


def test_twenty_phone_photos_make_a_report_under_10_mb(reports):
    # 20 different 12-megapixel photos of pure noise: the worst case for JPEG, about 9 MB each.
    blobs = {f"photos/{n}.jpg": reports.jpeg(4000, 3000, noise=True, seed=n) for n in range(20)}
    refs = list(blobs)
    audit = audit_with_photos(reports, [tuple(refs[i : i + 2]) for i in range(0, 20, 2)])
    pdf = reports.pdf(audit, photo_loader=blobs.__getitem__)
    assert len(embedded_images(pdf)) == 20
    assert len(pdf) < 10 * 1024 * 1024


# --------------------------------------------------------------------------- consent


@pytest.mark.parametrize(("consent", "printed"), [(False, False), (True, True), (None, True)])
def test_photos_print_only_when_the_client_did_not_refuse_them(reports, consent, printed):
    from homeaudit.audit import Assessment, Consent
    from homeaudit.report.findings import NO_PHOTO_CONSENT

    audit = audit_with_photos(reports, [("photos/bath.jpg",), ("photos/rail.jpg",)])
    audit.auditor.role = "ot"
    audit.assessment = Assessment(consent=Consent(assessment=True, photos=consent) if consent is not None else None)
    blobs = {"photos/bath.jpg": reports.jpeg(300, 200), "photos/rail.jpg": reports.jpeg(200, 300)}
    pdf = reports.pdf(audit, photo_loader=blobs.__getitem__)
    text = reports.flat(" ".join(reports.pages(pdf)))
    assert (len(embedded_images(pdf)) == 2) is printed
    assert (NO_PHOTO_CONSENT in text) is not printed
    if not printed:
        assert text.count(NO_PHOTO_CONSENT) == 2  # where each answer's photos would be
        assert "bath.jpg" not in text and "rail.jpg" not in text
