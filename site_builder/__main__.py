"""`python -m site_builder`: the same command line as `site-builder` and `python build.py`."""

from .cli import main

if __name__ == "__main__":  # guarded: the share-card workers start by importing the main module
    raise SystemExit(main())
