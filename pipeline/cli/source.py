"""Command line: `python -m pipeline source add|list|remove ...` (audited)."""

from __future__ import annotations

import argparse
import json
import sys

from pipeline.governance import actions
from pipeline.governance.auth import cli_user
from pipeline.ingest.collect import KINDS
from pipeline.ingest.collect import sources as src
from pipeline.storage import store


def main(argv: list[str] | None = None) -> int:
    """`python -m pipeline source add|list|remove ...` (audited)."""
    parser = argparse.ArgumentParser(
        prog="python -m pipeline source",
        description="Beheer de bronnen van een incident; toevoegen en stoppen vragen de rol beheerder "
                    "(als cli:<OS-gebruiker> met de rol van het account met die naam). / Manage the sources "
                    "of an incident; add and remove need the beheerder role.")
    sub = parser.add_subparsers(dest="action", required=True)
    add = sub.add_parser("add", help="bron toevoegen / add a source")
    add.add_argument("--incident", required=True)
    add.add_argument("--kind", required=True, choices=KINDS)
    add.add_argument("--label", default="")
    add.add_argument("--folder", help="inbox: map met exports / export folder")
    add.add_argument("--instance", help="mastodon: https://instantie")
    add.add_argument("--hashtag", help="mastodon: hashtag (zonder #)")
    add.add_argument("--languages", help="mastodon: alleen deze talen, bv. nl,en")
    add.add_argument("--streaming", action="store_true",
                     help="mastodon: ook de streaming-API gebruiken (als de instantie dat toestaat)")
    add.add_argument("--query", help="bluesky: zoekopdracht (q)")
    add.add_argument("--lang", help="bluesky: taal (lang), bv. nl")
    add.add_argument("--appview", help=f"bluesky: AppView (standaard {'https://public.api.bsky.app'})")
    add.add_argument("--url", help="rss: adres van de RSS/Atom-feed")
    add.add_argument("--own-channel", action="store_true",
                     help="rss: eigen kanaal (berichten worden communicatiemomenten)")
    add.add_argument("--interval", type=float, help="seconden tussen twee keer ophalen")
    add.add_argument("--token-env", help="naam van de omgevingsvariabele met het token (niet het token)")
    lst = sub.add_parser("list", help="bronnen en gezondheid tonen / list sources and health")
    lst.add_argument("--incident", default=None)
    rem = sub.add_parser("remove", help="bron stoppen / stop a source")
    rem.add_argument("id", type=int)
    rem.add_argument("--reason", default="")
    args = parser.parse_args(argv)
    engine = store.get_engine()
    try:
        if args.action == "add":
            config = {k: getattr(args, k) for k in ("folder", "instance", "hashtag", "languages", "query",
                                                     "lang", "appview", "url", "interval", "token_env")}
            config["own_channel"] = bool(args.own_channel) or None
            config["streaming"] = bool(args.streaming) or None
            sid = actions.add_source(engine, cli_user(engine), args.incident, args.kind, config,
                                     label=args.label)
            print(f"bron {sid} toegevoegd / source {sid} added")
        elif args.action == "remove":
            actions.stop_source(engine, cli_user(engine), args.id, reason=args.reason)
            print(f"bron {args.id} gestopt / source {args.id} stopped")
        else:
            inc_id = None
            if args.incident:
                inc = store.get_incident(engine, args.incident)
                if inc is None:
                    raise ValueError(f"incident '{args.incident}' bestaat niet / does not exist")
                inc_id = inc["id"]
            for s in src.list_sources(engine, inc_id, include_removed=True):
                h = s.health
                print(json.dumps({"id": s.id, "incident": s.incident_id, "kind": s.kind, "label": s.label,
                                  "active": s.active, "config": s.config,
                                  "last_success": str(h["last_success_at"] or ""),
                                  "last_hour": src.messages_last_hour(s),
                                  "last_error": h["last_error"] or ""}, ensure_ascii=False))
    except Exception as exc:  # noqa: BLE001 - any refusal is shown as text
        print(str(exc), file=sys.stderr)
        return 2
    return 0
