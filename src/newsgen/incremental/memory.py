"""What a process that builds one site again and again (`newsgen serve`'s builder) keeps in memory
between builds, beside the store on disk. A build given none keeps nothing."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..outputs.render import CompiledTemplates
from .kept_site import KeptSite


@dataclass
class Memory:
    own_output: bool = False  # nothing else writes the output folder (serve's own, in the cache)
    kept: KeptSite = field(default_factory=KeptSite)  # the last build's model and plan
    templates: CompiledTemplates = field(default_factory=CompiledTemplates)
    output_known: bool = False  # the last build here succeeded: with `own_output`, the folder is as recorded
