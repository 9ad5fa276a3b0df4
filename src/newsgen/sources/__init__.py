"""The only reader of content/: an article's bytes into a checked `Source` and its body's HTML
(`content`, `markup`); every article, parsed or taken from the store (`load`), which keeps
Sources as plain JSON (`stored`).

May import: errors, files, parallel, text, config, state."""
