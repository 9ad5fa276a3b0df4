"""The build state: one SQLite file in `.newsgen-cache/` of plain data (`store`), and article
bodies read from it only when a page shows them (`bodies`).

May import: errors."""
