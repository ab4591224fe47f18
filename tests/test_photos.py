"""Every photo that enters homeaudit is checked as a file from someone else, then kept as a fresh
JPEG: upright, at most 2048 px, with no metadata; anything else is refused with its name."""

from __future__ import annotations

import io
import resource

import pytest
from PIL import Image

from homeaudit import limits
from homeaudit.photos import PhotoError, keep


def jpeg_with_gps(width: int = 640, height: int = 480) -> bytes:
    image = Image.new("RGB", (width, height), (10, 120, 200))
    exif = Image.Exif()
    exif[0x8825] = {2: (51.0, 30.0, 0.0)}  # GPSInfo: latitude
    exif[0x0110] = "PhoneMaker X"  # camera model
    exif[0x0112] = 6  # orientation: rotate 90
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif, comment=b"taken at 12 Elm St", icc_profile=b"\0" * 128)
    return out.getvalue()


def png_bytes(width: int = 120, height: int = 80) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), "white").save(out, "PNG")
    return out.getvalue()


def gif_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("P", (10, 10)).save(out, "GIF")
    return out.getvalue()


def test_a_photo_is_kept_upright_as_a_jpeg_without_location_camera_comment_or_profile():
    kept = keep("IMG_0001.JPG", jpeg_with_gps())
    image = Image.open(io.BytesIO(kept.data))
    assert (kept.filename, kept.mime, image.format) == ("IMG_0001.jpg", "image/jpeg", "JPEG")
    assert image.size == (480, 640)  # turned upright from the EXIF orientation
    assert not image.getexif() and not {"exif", "icc_profile", "comment", "xmp"} & set(image.info)
    assert b"PhoneMaker" not in kept.data and b"12 Elm St" not in kept.data


def test_a_large_photo_is_kept_at_most_2048_pixels_on_its_long_side():
    kept = keep("big.jpg", jpeg_with_gps(4000, 3000))
    assert max(Image.open(io.BytesIO(kept.data)).size) == limits.KEEP_SIDE


def test_png_and_heic_photos_are_kept_as_jpegs():
    from pillow_heif import register_heif_opener

    register_heif_opener()
    heic = io.BytesIO()
    Image.new("RGB", (300, 200), "white").save(heic, "HEIF")
    assert keep("bath.png", png_bytes()).mime == "image/jpeg"
    assert keep("IMG_2.HEIC", heic.getvalue()).filename == "IMG_2.jpg"


def test_a_path_in_the_name_is_not_kept():
    assert keep("../../etc/passwd.png", png_bytes()).filename == "passwd.jpg"
    assert keep("C:\\Users\\me\\IMG.png", png_bytes()).filename == "IMG.jpg"


@pytest.mark.parametrize(
    ("name", "data", "words"),
    [
        ("notes.jpg", b"hello", "The file notes.jpg is not a photo"),
        ("page.jpg", b"<html><img src='http://example.com/x.png'></html>", "page.jpg is not a photo"),
        ("anim.gif", gif_bytes(), "anim.gif is not a photo"),
        ("cut.jpg", jpeg_with_gps()[:900], "cut.jpg is damaged"),
        ("empty.png", b"", "empty.png is empty"),
        ("huge.jpg", b"\xff" * (limits.MAX_PHOTO_BYTES + 1), "the limit is 25.0 MB"),
    ],
)
def test_a_file_that_is_not_a_readable_photo_is_refused_naming_it(name, data, words):
    with pytest.raises(PhotoError, match=words):
        keep(name, data)


def test_a_small_file_that_claims_a_huge_image_is_refused_before_it_is_decoded():
    """A PNG of 13000 x 13000 pixels compresses to a few hundred kB; decoding it would take 500 MB
    or more. It is refused from its header, and memory hardly moves."""
    bomb = io.BytesIO()
    Image.new("1", (13000, 13000)).save(bomb, "PNG", optimize=True)
    assert len(bomb.getvalue()) < 2 * limits.MB
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with pytest.raises(PhotoError, match=r"bomb\.png is 13000 x 13000 pixels; the limit is 60 million pixels"):
        keep("bomb.png", bomb.getvalue())
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 100 * 1024  # kB: under 100 MB more


def test_a_photo_just_over_the_pixel_limit_is_refused_with_its_size():
    over = io.BytesIO()
    Image.new("1", (9000, 9000)).save(over, "PNG")
    with pytest.raises(PhotoError, match=r"over\.png is 9000 x 9000 pixels; the limit is 60 million pixels"):
        keep("over.png", over.getvalue())


def _with_size(jpeg: bytes, width: int, height: int) -> bytes:
    """The JPEG with another size written in its frame header (the pixels are never reached)."""
    data = bytearray(jpeg)
    for marker in (b"\xff\xc0", b"\xff\xc2"):
        at = data.find(marker)
        if at != -1:
            data[at + 5 : at + 9] = height.to_bytes(2, "big") + width.to_bytes(2, "big")
            return bytes(data)
    raise AssertionError("no frame header")


def test_a_photo_that_would_take_too_much_memory_to_decode_is_refused_from_its_header():
    """A progressive JPEG's decoder keeps every coefficient of the whole photo (6 bytes a pixel
    without subsampling): 60 million pixels took 424 MB on their own."""
    small = io.BytesIO()
    Image.new("RGB", (16, 16), "white").save(small, "JPEG", progressive=True, subsampling=0)
    huge = _with_size(small.getvalue(), 7740, 7740)
    with pytest.raises(
        PhotoError, match=r"huge\.jpg would take 399 MB to decode \(7740 x 7740 pixels, RGB\); the limit is 330 MB"
    ):
        keep("huge.jpg", huge)
    baseline = io.BytesIO()
    Image.new("RGB", (16, 16), "white").save(baseline, "JPEG")
    kept = keep("big.jpg", _with_size(baseline.getvalue(), 7740, 7740))  # baseline: decoded at half scale, 57 MB
    assert Image.open(io.BytesIO(kept.data)).size == (limits.KEEP_SIDE, limits.KEEP_SIDE)


def test_a_heic_counts_the_copy_its_decoder_keeps():
    from pillow_heif import register_heif_opener

    from homeaudit.photos import _decoded_bytes

    register_heif_opener()
    heic = io.BytesIO()
    Image.new("RGB", (64, 48), "white").save(heic, "HEIF")
    with Image.open(heic) as image:
        assert _decoded_bytes(image, image.size) == 64 * 48 * (4 + 3)


def test_a_large_photo_is_reduced_a_tile_at_a_time_upright_and_on_white():
    """Large photos are no longer turned or flattened whole (each a full-size copy): the result
    must be the same: upright from the EXIF orientation, transparent parts white."""
    upright = Image.new("RGBA", (2400, 4800), (255, 0, 0, 255))
    upright.paste((0, 0, 255, 0), (0, 2400, 2400, 4800))  # the bottom half: transparent
    stored = upright.transpose(Image.Transpose.ROTATE_90)  # shown upright after turning 90° clockwise
    exif = Image.Exif()
    exif[0x0112] = 6
    out = io.BytesIO()
    stored.save(out, "PNG", exif=exif)
    kept = Image.open(io.BytesIO(keep("big.png", out.getvalue()).data)).convert("RGB")
    assert kept.size == (1024, 2048)
    red, white = kept.getpixel((512, 500)), kept.getpixel((512, 1500))
    assert red[0] > 200 and red[1] < 60 and red[2] < 60
    assert min(white) > 240


def test_importing_the_module_changes_nothing_in_pillow_or_the_warnings():
    """photos.py set Image.MAX_IMAGE_PIXELS and ignored DecompressionBombWarning for the whole
    process when it was imported."""
    import subprocess
    import sys

    script = (
        "import warnings; from PIL import Image; before = (Image.MAX_IMAGE_PIXELS, list(warnings.filters));"
        "from homeaudit import photos; import io;"
        "out = io.BytesIO(); Image.new('1', (9000, 11000)).save(out, 'PNG');"
        "assert (Image.MAX_IMAGE_PIXELS, list(warnings.filters)) == before, 'import';"
        "\ntry:\n    photos.keep('x.png', out.getvalue())\nexcept photos.PhotoError as e:\n    print(e)\n"
        "assert (Image.MAX_IMAGE_PIXELS, list(warnings.filters)) == before, 'use'"
    )
    done = subprocess.run([sys.executable, "-W", "default", "-c", script], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "9000 x 11000 pixels; the limit is 60 million" in done.stdout
    assert "DecompressionBombWarning" not in done.stderr  # 99 million: over Pillow's own limit, silenced
