"""Building again only what changed. What a build reads and leaves is recorded in the store
(`records`); the next build decides once whether nothing changed or only a few articles' bytes
did (`changes`). Then it renders only the pages that show them: from the records (`edits`), or
from the model `newsgen serve` keeps in memory (`kept_site`, `memory`). A full build renders only
pages whose key, a digest of everything they read, changed (`pages`).

May import every stage below it: errors, files, parallel, report, text, config, sources, site,
outputs, state, write, images."""
