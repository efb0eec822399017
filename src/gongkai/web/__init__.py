"""The web app and JSON API (`gongkai serve`): check a report, browse and compare a corpus."""

from .app import create_app

__all__ = ["create_app"]
