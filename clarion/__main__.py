"""`python -m clarion …` runs the same command line as `clarion …`."""
from .cli import main

main()
