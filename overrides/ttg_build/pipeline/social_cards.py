"""Share images: one 1200x630 PNG per page, drawn at build time with Pillow and a font kept in
the repo (DejaVu Sans, free licence, in fonts/ beside this file), so no network is needed
(Material's social plugin downloads its fonts).

The page template writes the Open Graph and Twitter tags with the title; this step draws each
page's card from that title (og:title) and points og:image (and twitter:image, where a theme writes it) at it.
"""
from __future__ import annotations

import textwrap
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from .context import Build, read_html, write_html

FONTS = Path(__file__).parent / "fonts"
SIZE = (1200, 630)
BACKGROUND = (11, 93, 107)      # the site's primary teal
ACCENT = (255, 183, 122)
FOREGROUND = (255, 255, 255)
SOCIAL_DIR = "assets/images/social"
IMAGE_TAGS = ('meta[property="og:image"]', 'meta[name="twitter:image"]')  # the second only if a theme writes it


def social_image_path(rel: str) -> str:
    """'assets/images/social/causes.png' for causes/index.html; 'index.png' for the home page."""
    slug = "index" if rel == "index.html" else rel.removesuffix("/index.html").replace("/", "-")
    return f"{SOCIAL_DIR}/{slug}.png"


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


def page_title(tree, site_name: str) -> str:
    """The title the page's share tags give (the page's own, else the site's name)."""
    meta = tree.css_first('meta[property="og:title"]')
    if meta is not None and (meta.attributes.get("content") or "").strip():
        return meta.attributes["content"].strip()
    heading = tree.css_first("article h1")
    return heading.text(deep=True).strip() if heading is not None else site_name


def run(build: Build) -> None:
    prefix = build.site_url.rstrip("/") + "/" if build.site_url else ""  # as the template writes it
    for source in build.sources():
        page = build.built_page(source)
        if not page.is_file():
            continue
        tree = read_html(page)
        path = social_image_path(page.relative_to(build.site).as_posix())
        target = build.site / path
        target.parent.mkdir(parents=True, exist_ok=True)
        draw_card(page_title(tree, build.site_name), build.site_name).save(target, optimize=True)
        changed = False
        for selector in IMAGE_TAGS:
            for meta in tree.css(selector):
                if meta.attributes.get("content") != prefix + path:
                    meta.attrs["content"] = prefix + path
                    changed = True
        if changed:
            write_html(page, tree)
