"""`python -m site_builder`: the same command line as `site-builder` and `python build.py`."""

from .cli import main

raise SystemExit(main())
