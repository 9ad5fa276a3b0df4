"""The site's photos published made fit (`images`) instead of copied: `publish_photos` swaps the
plan's copies of static/'s JPEG, PNG and WebP files for the files made from each."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import PurePosixPath
from typing import Any

from ..config.settings import Config
from ..errors import Problems
from ..images.pictures import variant_path
from ..images.process import FORMATS
from ..images.publish import heic_copied, make_photos
from ..site.model import Article
from ..state.store import Store
from .output import Output


def static_photos(config: Config, plan: list[Any]) -> dict[str, Output]:
    """The plan's copies of static/'s JPEG, PNG and WebP files, by name."""
    return {
        item.path: item
        for item in plan
        if isinstance(item, Output)
        and item.source is not None
        and item.source.parent.is_relative_to(config.static_dir)
        and item.source.suffix.lower() in FORMATS
    }


def publish_photos(
    config: Config, store: Store, plan: list[Any], articles: Sequence[Article], jobs: int, problems: Problems
) -> list[Any]:
    """`plan` with each static photo's copy replaced by the files made from it, and with the
    thumbnails of the `articles`' photos; a photo that cannot be read is left out (its metadata
    could not be removed), and named in a warning."""
    photos = static_photos(config, plan)
    if not config.images.enabled:
        for name in photos:
            if PurePosixPath(name).suffix.lower() in (".heic", ".heif"):
                problems.warn(heic_copied(name))
        return plan
    thumbnails = {
        (article.image.removeprefix("/"), article.image_focus) for article in articles if article.image
    }
    replaced: dict[str, list[Output]] = {}
    for (name, point), (folder, variants) in make_photos(
        config, store, sorted(photos), thumbnails, jobs, problems
    ).items():
        replaced.setdefault(name, []).extend(  # a name another file has too: the writer refuses both
            Output(
                variant_path(name, variant, variants, point),
                source=folder / variant.name,
                origin=photos[name].origin,
            )
            for variant in variants
        )
    return [
        output
        for item in plan
        for output in (
            replaced.get(item.path, []) if isinstance(item, Output) and item.path in photos else [item]
        )
    ]
