"""The command line: argparse only, one module per command (`python -m pipeline <command>`).

Each module has `main(argv) -> int` and calls the packages; nothing in pipeline/ imports
this package (tests/test_architecture.py).
"""

from pipeline.governance.auth import cli_actor


def refused(exc: Exception) -> str:
    """Return the error line for a refused command, saying which account would have the right."""
    name = cli_actor().partition(":")[2] or "<gebruiker>"
    return (f"Fout / error: {exc}. Een opdracht handelt als het account met de naam van uw "
            f"systeemgebruiker ('{name}'); een beheerder maakt het aan met "
            f"`python -m pipeline user add {name} --role beheerder` of op Beheer. / A command acts as the "
            f"account named like your operating-system user ('{name}').")
