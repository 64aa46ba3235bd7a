"""Where the files shipped inside the package live: built-in templates, catalogues, the starter."""
from __future__ import annotations

from pathlib import Path

PACKAGE_DIR = Path(__file__).parent
BUILT_IN_DIR = PACKAGE_DIR / "templates"
LOCALE_DIR = PACKAGE_DIR / "locale"
STARTER_DIR = PACKAGE_DIR / "starter"
BUILT_IN_SALUTATIONS = BUILT_IN_DIR / "salutations.yaml"
