"""The `newsgen` command: options read with argparse, in Vietnamese through gettext (`cli`); a
bug reported in one line with the traceback saved (`crash`); `init` and `new` (`scaffold`).

May import anything: nothing imports it."""
