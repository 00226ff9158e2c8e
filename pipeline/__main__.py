"""Command line: `python -m pipeline <command> [options]`.

Each command is a `main(argv)` function in its own module of pipeline/cli/; this file only
dispatches, so everything a command does is reachable from Python too.
"""

from __future__ import annotations

import importlib
import sys

# command -> (module:function, one-line help)
COMMANDS: dict[str, tuple[str, str]] = {
    "demo": ("pipeline.cli.demo:main", "laad het demo-incident / load the demo incident (idempotent)"),
    "ingest": ("pipeline.cli.ingest:main", "importeer een exportbestand / import an export file"),
    "analyze": ("pipeline.cli.analyze:main", "analyseer een bestand zonder database / analyse a file"),
    "evaluate": ("pipeline.cli.evaluate:main", "meet nauwkeurigheid op gelabelde data / measure accuracy"),
    "train": ("pipeline.cli.train:main", "train het model op eigen labels / train on own labels"),
    "effect": ("pipeline.cli.effect:main", "effect van communicatiemomenten / effect of moments"),
    "purge": ("pipeline.cli.purge:main", "verwijder verlopen berichten / purge expired data"),
    "delete": ("pipeline.cli.delete:main", "verwijder op verzoek / delete on request"),
    "incident": ("pipeline.cli.incident:main", "beheer incidenten / manage incidents"),
    "audit": ("pipeline.cli.audit:main",
              "controleer of toon het auditlog / verify the audit log"),
    "report": ("pipeline.cli.report:main", "scanrapport (pdf/html/md) / scan report"),
    "replay": ("pipeline.cli.replay:main", "speel een incident versneld af / replay an incident live"),
    "collect": ("pipeline.cli.collect:main",
                "verzamel uit live bronnen / collect from live sources"),
    "source": ("pipeline.cli.source:main", "beheer live bronnen / manage live sources"),
    "user": ("pipeline.cli.user:main", "beheer lokale gebruikers / manage local users"),
    "accountability": ("pipeline.cli.accountability:main",
                       "jaarverantwoording / yearly accountability"),
    "publish": ("pipeline.cli.publish:main",
                "openbare transparantiepagina (statisch) / public transparency site"),
    "summary": ("pipeline.cli.summary:main",
                "publieke samenvatting achteraf (vier ogen) / public summary afterwards (four eyes)"),
}


def usage() -> str:
    """Return the help text listing all commands."""
    lines = ["usage: python -m pipeline <command> [options]", "", "commands:"]
    width = max(len(c) for c in COMMANDS)
    for name, (_target, text) in COMMANDS.items():
        lines.append(f"  {name.ljust(width)}  {text}")
    lines.append("")
    lines.append("`python -m pipeline <command> --help` for the options of a command.")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Dispatch to the command's `main` function and return its exit code."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] in {"-h", "--help", "help"}:
        print(usage())
        return 0
    name, rest = argv[0], argv[1:]
    if name not in COMMANDS:
        print(f"onbekend commando / unknown command: {name}\n\n{usage()}", file=sys.stderr)
        return 2
    module_name, func_name = COMMANDS[name][0].split(":")
    func = getattr(importlib.import_module(module_name), func_name)
    return int(func(rest) or 0)


if __name__ == "__main__":
    raise SystemExit(main())
