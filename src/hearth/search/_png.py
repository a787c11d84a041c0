"""A tiny PNG line chart, so reports need no plotting library.

Draws the gate score per session as a line, accepted sessions as green
squares and rejected candidates as red crosses. Numbers live in the Markdown
report next to it; the picture only shows the shape.
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Sequence
from pathlib import Path

Color = tuple[int, int, int]
WHITE, GREY, BLUE = (255, 255, 255), (200, 200, 200), (40, 90, 200)
GREEN, RED = (20, 160, 60), (210, 40, 40)


class Canvas:
    """An RGB raster with just enough drawing for a chart."""

    def __init__(self, width: int, height: int) -> None:
        self.width, self.height = width, height
        self.pixels = bytearray(WHITE * (width * height))

    def dot(self, x: int, y: int, color: Color) -> None:
        if 0 <= x < self.width and 0 <= y < self.height:
            i = 3 * (y * self.width + x)
            self.pixels[i:i + 3] = bytes(color)

    def line(self, x0: int, y0: int, x1: int, y1: int, color: Color) -> None:
        dx, dy = abs(x1 - x0), -abs(y1 - y0)
        sx, sy = (1 if x0 < x1 else -1), (1 if y0 < y1 else -1)
        err = dx + dy
        while True:
            self.dot(x0, y0, color)
            if x0 == x1 and y0 == y1:
                return
            e2 = 2 * err
            if e2 >= dy:
                err += dy
                x0 += sx
            if e2 <= dx:
                err += dx
                y0 += sy

    def square(self, x: int, y: int, r: int, color: Color) -> None:
        for i in range(-r, r + 1):
            for j in range(-r, r + 1):
                self.dot(x + i, y + j, color)

    def cross(self, x: int, y: int, r: int, color: Color) -> None:
        self.line(x - r, y - r, x + r, y + r, color)
        self.line(x - r, y + r, x + r, y - r, color)

    def save(self, path: Path) -> None:
        rows = b"".join(b"\x00" + bytes(self.pixels[3 * y * self.width:3 * (y + 1) * self.width])
                        for y in range(self.height))

        def chunk(kind: bytes, data: bytes) -> bytes:
            body = kind + data
            return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

        header = struct.pack(">IIBBBBB", self.width, self.height, 8, 2, 0, 0, 0)
        path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
                         + chunk(b"IDAT", zlib.compress(rows, 9)) + chunk(b"IEND", b""))


def gate_chart(path: Path, scores: Sequence[float], accepted: Sequence[bool],
               rejected: Sequence[Sequence[float]], *, width: int = 640,
               height: int = 320) -> None:
    """Gate score (0..1) per session; marks for accepted sessions and rejected candidates."""
    canvas = Canvas(width, height)
    pad = 24
    n = max(len(scores), 1)

    def xy(i: int, score: float) -> tuple[int, int]:
        x = pad + round(i * (width - 2 * pad) / max(n - 1, 1))
        y = height - pad - round(max(0.0, min(1.0, score)) * (height - 2 * pad))
        return x, y

    for tenth in range(11):
        y = height - pad - round(tenth / 10 * (height - 2 * pad))
        canvas.line(pad, y, width - pad, y, GREY)
    for i in range(len(scores) - 1):
        canvas.line(*xy(i, scores[i]), *xy(i + 1, scores[i + 1]), BLUE)
    for i, score in enumerate(scores):
        for bad in rejected[i] if i < len(rejected) else ():
            canvas.cross(*xy(i, bad), 4, RED)
        if i < len(accepted) and accepted[i]:
            canvas.square(*xy(i, score), 4, GREEN)
        else:
            canvas.square(*xy(i, score), 2, BLUE)
    canvas.save(path)
