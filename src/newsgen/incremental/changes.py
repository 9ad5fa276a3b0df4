"""What changed since the last build, decided once for every kind of build.

`find_edits` compares what a build reads now (`Inputs`) with what the last build into the same
output folder recorded. Nothing but the bytes of a few article files may have changed: not
newsgen's code, the config or the command line, no template or static file, no file added,
removed or renamed under content/; the moment must be one at which the same articles are
published; and the output folder must be as the last build left it. Then it gives those
articles' new bytes (none if files were only touched), for `edits.py` (from the records) or
`kept_site.py` (from `newsgen serve`'s model) to render what shows them; otherwise None, and the
build is a full one, whose page keys decide what is rendered again.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from ..config.settings import Config
from ..errors import NewsgenError
from ..files import FileStats
from ..sources import content
from ..state.store import digest
from .records import Inputs, LastBuild

# More edited articles than this at once: a full build, whose parsing runs in parallel.
MAX_EDITED = 20

Edits = dict[str, tuple[str, bytes]]  # source path → (digest, bytes) of the articles edited


def find_edits(
    config: Config, last: LastBuild | None, inputs: Inputs, now: datetime, output: Callable[[], FileStats]
) -> Edits | None:
    """The articles whose bytes alone changed since `last` (empty: nothing changed at all), or
    None when more may have. `output()` gives the output folder as found, asked for last."""
    if (
        last is None
        or not last.holds_at(now)
        or last.inputs.others != inputs.others
        or not last.inputs.others_settled  # a later change to those files might not show
        or inputs.content.files.keys() != last.inputs.content.files.keys()
    ):
        return None
    looked_at = inputs.content.maybe_changed_since(last.inputs.content)
    if len(looked_at) > MAX_EDITED:
        return None
    edits: Edits = {}
    for name in looked_at:
        path = f"content/{name}"
        record = last.articles.get(path)
        if record is None:  # not an article last time, or one with an error: a full build says
            return None
        try:
            data = content.read_file(config.content_dir / name)
        except NewsgenError:
            return None
        if digest(data) != record.digest:
            edits[path] = (digest(data), data)
    if output() != last.outputs:
        return None
    return edits
