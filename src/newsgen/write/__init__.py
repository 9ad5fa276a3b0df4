"""The only writer of the output folder: files staged in a spare folder of hard links, exchanged
with the live one in one step (`exchange`), its ownership marker and list of changes (`writer`).

May import: errors, files, outputs (the `Output` type), state (where the spare folder lives)."""
