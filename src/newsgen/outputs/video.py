"""Videos in a body (`with_videos`): a YouTube video that loads nothing from YouTube until the
visitor asks for it, and a video file of static/ that loads nothing until it is played.

An editor writes a YouTube address alone on a line (`https://youtu.be/ID`, or as a link with its
title, `[Lễ hội hoa ban](https://youtu.be/ID)`, or around a poster photo,
`[![Lễ hội hoa ban](/images/hoa-ban.jpg)](https://youtu.be/ID)`): it becomes a link to the
video on YouTube, shown as a poster with a play button; site.js turns a click on it into the
player, from the privacy-enhanced youtube-nocookie.com. A video file is written as an image
(`![Lễ hội hoa ban](/videos/hoa-ban.mp4)`): it becomes `<video controls preload="none">`.
"""

from __future__ import annotations

import html
import re
from urllib.parse import parse_qs, urlsplit

from markupsafe import Markup

from ..config.settings import Messages

# The player's address, which the shipped Content-Security-Policy lets into a frame.
PLAYER_ORIGIN = "https://www.youtube-nocookie.com"
VIDEO_TYPES = {".mp4": "video/mp4", ".webm": "video/webm"}

# A paragraph holding nothing but an address, or one link (whose text may be a photo).
_ALONE = re.compile(
    r"<p>\s*(?:(https?://[^\s<>\"]+)|<a href=\"([^\"]+)\">((?:(?!</a>|</p>).)*)</a>)\s*</p>", re.DOTALL
)
_VIDEO_FILE = re.compile(
    r"<p>\s*<img ([^>]*?\bsrc=\"[^\"]+\.(?:mp4|webm)\"[^>]*?)\s*/?>\s*</p>", re.IGNORECASE
)
_TAG = re.compile(r"<[^>]+>")
_ALT = re.compile(r' alt="([^"]*)"')
_ATTRIBUTE = re.compile(r'(\w+)="([^"]*)"')
_ID = re.compile(r"[A-Za-z0-9_-]{11}")
_TIME = re.compile(r"(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s?)?")


def youtube_id(url: str) -> tuple[str, int] | None:
    """The video's ID and the second it starts at, if `url` is the address of a YouTube video:
    youtube.com/watch?v=…, youtu.be/…, youtube.com/shorts/…, /embed/…, /live/…"""
    try:
        parts = urlsplit(html.unescape(url))
        host = (parts.hostname or "").removeprefix("www.").removeprefix("m.")
    except ValueError:  # https://[youtube.com/…: not an address
        return None
    query = parse_qs(parts.query)
    if host == "youtu.be":
        found = parts.path.strip("/")
    elif host in ("youtube.com", "youtube-nocookie.com"):
        path = parts.path.strip("/").split("/")
        if path == ["watch"]:
            found = query.get("v", [""])[0]
        elif len(path) == 2 and path[0] in ("shorts", "embed", "live"):
            found = path[1]
        else:
            return None
    else:
        return None
    if not _ID.fullmatch(found):
        return None
    start = _TIME.fullmatch(query.get("t", query.get("start", [""]))[0])
    hours, minutes, seconds = (int(value or 0) for value in start.groups()) if start else (0, 0, 0)
    return found, hours * 3600 + minutes * 60 + seconds


def with_videos(body_html: str, messages: Messages) -> Markup:
    """The `with_videos` filter: `body_html` with its videos shown as the module says."""
    if "youtu" in body_html:
        body_html = _ALONE.sub(lambda match: _youtube(match, messages), body_html)
    if "<img" in body_html:
        body_html = _VIDEO_FILE.sub(lambda match: _video_file(match, messages), body_html)
    return Markup(body_html)


def _youtube(match: re.Match[str], messages: Messages) -> str:
    url = match.group(1) or match.group(2)
    found = youtube_id(url)
    if found is None:
        return match.group(0)
    video, start = found
    inside = (match.group(3) or "").strip()
    has_poster = "<img" in inside
    title = html.unescape(_alt(inside) if has_poster else ("" if inside == url else _TAG.sub("", inside)))
    label = messages.text("video_play", title=title) if title else messages.text("video_play_untitled")
    poster = _ALT.sub(' alt=""', inside) if has_poster else ""  # the label names the link
    watch = f"https://www.youtube.com/watch?v={video}" + (f"&t={start}s" if start else "")
    return (
        f'<figure class="video"><a class="video-youtube" href="{html.escape(watch)}" data-youtube="{video}"'
        f' data-start="{start}" data-title="{html.escape(title or label)}">'
        f"{poster}"
        f'<span class="video-play">{html.escape(label)}</span></a></figure>'
    )


def _alt(inside: str) -> str:
    found = _ALT.search(inside)
    return found.group(1) if found else ""


def _video_file(match: re.Match[str], messages: Messages) -> str:
    attributes = dict(_ATTRIBUTE.findall(match.group(1)))
    src, title = attributes.get("src", ""), attributes.get("alt", "")  # escaped, as written in the body
    kind = VIDEO_TYPES[src[src.rfind(".") :].lower()]
    fallback = html.escape(messages.text("video_download"))
    return (
        f'<figure class="video"><video controls preload="none">'
        f'<source src="{src}" type="{kind}"><a href="{src}">{fallback}</a></video>'
        + (f"<figcaption>{title}</figcaption>" if title else "")
        + "</figure>"
    )
