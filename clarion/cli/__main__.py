"""`python -m clarion.cli …` runs the same command line as `clarion …`."""
from . import main

main()
