"""The site as visitors see it: `build_site` turns Sources into articles, provinces, themes, an
archive and related articles (`model`, pure: no I/O), each with its address (`urls`).

May import: errors, text, config, sources, state (article bodies are read through it)."""
