"""The printed invitation for people without e-mail: the personal link as text and as a QR code."""

from __future__ import annotations

import segno


def qr_data_uri(text: str) -> str:
    """An SVG QR code as a data: URI, which the Content-Security-Policy allows for images."""
    return segno.make(text, error="m").svg_data_uri(scale=6, border=2)
