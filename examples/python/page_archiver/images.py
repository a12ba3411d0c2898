"""Thumbnails of archived screenshots, in pure Python.

Images are binary PPM (P6, 8-bit RGB) files. The downscale averages every source pixel that
falls into each target pixel (a box filter), written as plain loops over the pixel grid.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from itertools import repeat
from pathlib import Path


@dataclass
class Image:
    """An 8-bit RGB image; `pixels` holds width * height * 3 bytes, row by row."""

    width: int
    height: int
    pixels: bytearray


def read_ppm(path: Path) -> Image:
    """Loads a binary PPM (P6) file with a maximum value of 255."""
    data = path.read_bytes()
    fields: list[bytes] = []
    position = 0
    while len(fields) < 4:
        while data[position : position + 1].isspace():
            position += 1
        if data[position : position + 1] == b"#":
            position = data.index(b"\n", position) + 1
            continue
        end = position
        while not data[end : end + 1].isspace():
            end += 1
        fields.append(data[position:end])
        position = end
    magic, width, height, max_value = fields[0], int(fields[1]), int(fields[2]), int(fields[3])
    if magic != b"P6" or max_value != 255:
        raise ValueError(f"{path}: only 8-bit binary PPM (P6) is supported")
    pixels = bytearray(data[position + 1 : position + 1 + width * height * 3])
    if len(pixels) != width * height * 3:
        raise ValueError(f"{path}: truncated pixel data")
    return Image(width, height, pixels)


def write_ppm(image: Image, path: Path) -> None:
    """Saves `image` as a binary PPM (P6) file."""
    header = f"P6\n{image.width} {image.height}\n255\n".encode("ascii")
    path.write_bytes(header + bytes(image.pixels))


def resize_image(image: Image, width: int, height: int) -> Image:
    """Downscales `image` to width x height by averaging each target pixel's source area."""
    out = bytearray(width * height * 3)
    for ty in range(height):
        y0 = ty * image.height // height
        y1 = max(y0 + 1, (ty + 1) * image.height // height)
        for tx in range(width):
            x0 = tx * image.width // width
            x1 = max(x0 + 1, (tx + 1) * image.width // width)
            red = green = blue = 0
            for sy in range(y0, y1):
                row = sy * image.width * 3
                for sx in range(x0, x1):
                    offset = row + sx * 3
                    red += image.pixels[offset]
                    green += image.pixels[offset + 1]
                    blue += image.pixels[offset + 2]
            count = (y1 - y0) * (x1 - x0)
            target = (ty * width + tx) * 3
            out[target] = red // count
            out[target + 1] = green // count
            out[target + 2] = blue // count
    return Image(width, height, out)


def make_test_pattern(width: int, height: int) -> Image:
    """A gradient with a checkerboard over it, for trying thumbnails without any files."""
    pixels = bytearray(width * height * 3)
    for y in range(height):
        for x in range(width):
            checker = 64 if (x // 16 + y // 16) % 2 else 0
            offset = (y * width + x) * 3
            pixels[offset] = (x * 255 // max(1, width - 1)) ^ checker
            pixels[offset + 1] = (y * 255 // max(1, height - 1)) ^ checker
            pixels[offset + 2] = 128 ^ checker
    return Image(width, height, pixels)


def make_thumbnails(images: list[Image], size: tuple[int, int], workers: int = 4) -> list[Image]:
    """Thumbnails of every image, made in parallel by a pool of `workers`."""
    width, height = size
    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(resize_image, images, repeat(width), repeat(height)))
