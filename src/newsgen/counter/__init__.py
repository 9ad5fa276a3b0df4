"""The visit counter's service ("Thống kê truy cập"): an ASGI app (`app`) over a SQLite store with
one writer (`store`), served by granian (`server`). Apart from the generator: it imports only errors."""

from .server import app_from_environment

__all__ = ["app_from_environment"]
