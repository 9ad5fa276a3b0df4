"""Vietnamese text: Unicode normalisation, term keys, slugs, alphabetical order, dates and numbers.

Pure functions, heavily tested. May import: nothing of newsgen."""
