"""Everything the site's folder holds, from the `Site`: the plan of its files and pages (`plan`),
checked before anything is rendered (`check`); pages from templates (`render`); feeds, sitemap,
search index, the theme's assets, the photos made fit (`photos`); each an `Output` for the
writer.

May import: errors, files, parallel, text, config, sources, site, state, images."""
