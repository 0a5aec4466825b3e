from site_builder.cli import main

if __name__ == "__main__":  # guarded: the share-card workers start by importing this module
    raise SystemExit(main())
