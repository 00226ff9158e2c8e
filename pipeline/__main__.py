"""Command line: `python -m pipeline <command> [options]`.

Each command is a `cli(argv)` function in its own module; this file only
dispatches, so everything a command does is reachable from Python too.
"""

from __future__ import annotations

import importlib
import sys

# command -> (module:function, one-line help)
COMMANDS: dict[str, tuple[str, str]] = {
    "demo": ("pipeline.ingest.demo:cli", "laad het demo-incident / load the demo incident (idempotent)"),
    "ingest": ("pipeline.ingest.load:cli", "importeer een exportbestand / import an export file"),
    "analyze": ("pipeline.analysis.chain:cli", "analyseer een bestand zonder database / analyse a file"),
    "evaluate": ("pipeline.model.evaluate:cli", "meet nauwkeurigheid op gelabelde data / measure accuracy"),
    "train": ("pipeline.model.train:cli", "train het model op eigen labels / train on own labels"),
    "effect": ("pipeline.views.effect:cli", "effect van communicatiemomenten / effect of moments"),
    "purge": ("pipeline.governance.retention:purge_cli", "verwijder verlopen berichten / purge expired data"),
    "delete": ("pipeline.governance.retention:delete_cli", "verwijder op verzoek / delete on request"),
    "incident": ("pipeline.governance.incidents:cli", "beheer incidenten / manage incidents"),
    "audit": ("pipeline.governance.incidents:audit_cli",
              "controleer of toon het auditlog / verify the audit log"),
    "report": ("pipeline.views.report:cli", "scanrapport (pdf/html/md) / scan report"),
    "replay": ("pipeline.ingest.replay:cli", "speel een incident versneld af / replay an incident live"),
    "collect": ("pipeline.ingest.collect.worker:cli",
                "verzamel uit live bronnen / collect from live sources"),
    "source": ("pipeline.ingest.collect.worker:source_cli", "beheer live bronnen / manage live sources"),
    "user": ("pipeline.governance.auth:cli", "beheer lokale gebruikers / manage local users"),
    "accountability": ("pipeline.governance.accountability:cli",
                       "jaarverantwoording / yearly accountability"),
    "publish": ("pipeline.governance.publish:cli",
                "openbare transparantiepagina (statisch) / public transparency site"),
    "summary": ("pipeline.governance.publish:summary_cli",
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
    """Dispatch to the command's `cli` function and return its exit code."""
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
