"""Share images: one 1200x630 PNG per page, drawn at build time with Pillow and a font kept in
the repo (DejaVu Sans, free licence), so no network is needed (Material's social plugin
downloads its fonts). The template's Open Graph tags point at page.meta["social_image"].
"""
from __future__ import annotations

import textwrap
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

FONTS = Path(__file__).parent / "fonts"
SIZE = (1200, 630)
BACKGROUND = (11, 93, 107)      # the site's primary teal
ACCENT = (255, 183, 122)
FOREGROUND = (255, 255, 255)
SOCIAL_DIR = "assets/images/social"

_cards: dict[str, str] = {}  # image path -> page title


def social_image_path(page) -> str:
    """'assets/images/social/causes.png' for causes/index.html; 'index.png' for the home page."""
    dest = page.file.dest_uri
    slug = "index" if dest == "index.html" else dest.removesuffix("/index.html").replace("/", "-")
    return f"{SOCIAL_DIR}/{slug}.png"


def on_files(files, config):
    # The font and its licence live beside this hook; they are build inputs, not site assets.
    for file in list(files):
        if file.src_uri.startswith("hooks/"):
            files.remove(file)
    return files


def on_page_markdown(markdown, page, config, files):
    path = social_image_path(page)
    page.meta["social_image"] = path
    _cards[path] = page.meta.get("title") or page.title or config.site_name
    return markdown


def draw_card(title: str, site_name: str) -> Image.Image:
    image = Image.new("RGB", SIZE, BACKGROUND)
    draw = ImageDraw.Draw(image)
    bold = ImageFont.truetype(str(FONTS / "DejaVuSans-Bold.ttf"), 68)
    regular = ImageFont.truetype(str(FONTS / "DejaVuSans.ttf"), 36)
    draw.rectangle([0, 0, 24, SIZE[1]], fill=ACCENT)
    # The same pulse line as the site's logo.
    draw.line([(80, 110), (130, 110), (155, 70), (190, 150), (215, 95), (240, 110), (300, 110)],
              fill=FOREGROUND, width=8, joint="curve")
    draw.text((330, 88), site_name, font=regular, fill=FOREGROUND)
    lines = textwrap.wrap(title, width=28)[:4]
    y = 200
    for line in lines:
        draw.text((80, y), line, font=bold, fill=FOREGROUND)
        y += 86
    draw.text((80, 540), "Evidence-based. No ads. No tracking.", font=regular, fill=ACCENT)
    return image


def on_post_build(config):
    site = Path(config.site_dir)
    for path, title in _cards.items():
        target = site / path
        target.parent.mkdir(parents=True, exist_ok=True)
        draw_card(title, config.site_name).save(target, optimize=True)
