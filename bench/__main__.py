"""`.venv/bin/python -m bench`: the one benchmark (bench/suite.py); the others run as `-m bench.<name>`."""

from bench.suite import main

main()
