"""Vietnamese text: Unicode normalisation, term keys, slugs, alphabetical order, dates and numbers.

Pure functions, heavily tested. Imports nothing of newsgen."""
