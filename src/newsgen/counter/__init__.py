"""The visit counter's service ("Thống kê truy cập"): a small WSGI and asyncio server with its
SQLite database (`service`). Apart from the generator: it imports only errors."""

from .service import app_from_environment

__all__ = ["app_from_environment"]
