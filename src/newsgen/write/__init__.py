"""The only writer of the output folder (`writer`): files staged in a spare folder of hard links
(`spare`), exchanged with the live one in one step (`exchange`); the marker that says a folder is
newsgen's and lists its files (`marker`); folder changes that never follow a link (`folders`).

May import: errors, files, outputs (the `Output` type), state (where the spare folder lives)."""
