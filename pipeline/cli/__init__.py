"""The command line: argparse only, one module per command (`python -m pipeline <command>`).

Each module has `main(argv) -> int` and calls the packages; nothing in pipeline/ imports
this package (tests/test_architecture.py).
"""
