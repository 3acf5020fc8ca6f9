"""An uploaded photo, checked and re-encoded: only what the pixels show is kept.

The upload is refused unless it is a JPEG, PNG or WebP of at most
:data:`MAX_BYTES` whose header declares at most :data:`MAX_PIXELS` pixels
(checked *before* any pixel is decoded, so a small file claiming a huge
canvas — a decompression bomb — costs nothing). What is kept is a new JPEG of
at most :data:`SIDE` × :data:`SIDE` pixels, turned upright by its EXIF
orientation and then written without EXIF, GPS, ICC, XMP or comments.
"""

from __future__ import annotations

import io
import warnings

from PIL import Image, ImageOps, UnidentifiedImageError

MAX_BYTES = 5 * 1024 * 1024
MAX_PIXELS = 24_000_000
SIDE = 512
ACCEPTED = {"JPEG": "JPEG", "PNG": "PNG", "WEBP": "WebP"}
STORED_TYPE = "image/jpeg"


class PhotoError(ValueError):
    """An upload that is not a photo Tandem keeps; the message says why, for the person."""


def reencode(data: bytes) -> bytes:
    """``data`` as a stripped JPEG of at most :data:`SIDE` pixels a side; :class:`PhotoError` if refused."""
    if not data:
        raise PhotoError("the file is empty")
    if len(data) > MAX_BYTES:
        raise PhotoError(f"the file is larger than {MAX_BYTES // (1024 * 1024)} MB")
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(io.BytesIO(data), formats=list(ACCEPTED)) as image:
                width, height = image.size
                if width * height > MAX_PIXELS:
                    raise PhotoError(f"the picture is {width} × {height} pixels; at most {MAX_PIXELS:,} pixels")
                image.load()
                upright = ImageOps.exif_transpose(image)
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise PhotoError(f"the picture declares more than {MAX_PIXELS:,} pixels") from None
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
            if isinstance(error, PhotoError):
                raise
            names = ", ".join(ACCEPTED.values())
            raise PhotoError(f"the file is not a picture Tandem can read ({names})") from None
    upright.thumbnail((SIDE, SIDE))
    if upright.mode in ("RGBA", "LA", "P"):
        rgba = upright.convert("RGBA")
        flat = Image.new("RGB", rgba.size, (255, 255, 255))
        flat.paste(rgba, mask=rgba.getchannel("A"))
        upright = flat
    elif upright.mode != "RGB":
        upright = upright.convert("RGB")
    clean = Image.new("RGB", upright.size)
    clean.paste(upright)  # a fresh image carries no info dict (EXIF, ICC, comments) from the upload
    out = io.BytesIO()
    clean.save(out, format="JPEG", quality=85, optimize=True)
    return out.getvalue()
