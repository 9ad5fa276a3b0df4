"""The site's photos: made fit for slow phones (`process`), kept in the cache folder (`publish`),
and offered in pages at each width (`pictures`).

May import: errors, files, parallel, config, state, site."""
