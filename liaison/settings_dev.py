"""Local demo settings: DEBUG on, plain HTTP on 127.0.0.1."""

from __future__ import annotations

import os

os.environ.setdefault("DEBUG", "1")

from liaison.settings import *  # noqa: F403
