"""`newsgen serve`: the preview server, which builds in a process of its own with a `Memory` of
the last build (`server`) whenever the operating system says a file changed (`watch`).

Apart from the generator: it calls `build` with an `incremental.Memory`, and reads addresses
(site) and the cache folder's name (state). Nothing but `commands` imports it."""
