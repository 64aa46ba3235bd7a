"""Thin entry point: `python cli.py …` runs the same command line as `clarion …`."""
from clarion.cli import main

if __name__ == "__main__":
    main()
