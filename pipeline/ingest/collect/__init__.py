"""Live collection: sources per incident, collected by a worker beside the dashboard.

`python -m pipeline collect [--incident NAME] [--once]` runs `worker.run` (or one
pass, `worker.run_once`) over the configured sources of every open incident;
`python -m pipeline source add|list|remove` configures them (audited).

Connectors (each `collect(source, ctx) -> rows added`):

| kind       | module        | what                                                        |
|------------|---------------|-------------------------------------------------------------|
| `inbox`    | `inbox.py`    | a folder of OBI4wan/Coosto/other exports, imported whole     |
| `mastodon` | `mastodon.py` | public hashtag timeline, paged forward with `min_id`        |
| `bluesky`  | `bluesky.py`  | `app.bsky.feed.searchPosts` (q, lang, since, sort=latest)   |
| `rss`      | `feeds.py`    | RSS/Atom feeds via feedparser; "eigen kanaal" -> moments     |

Contracts shared by all connectors:
* every batch goes through `pipeline.ingest.load` (privacy at ingest, all-or-nothing,
  idempotent on (platform, source id)); the source's cursor and health advance
  in the SAME transaction as the batch (`sources.store_batch`), so a kill -9
  between two statements neither loses nor duplicates a message;
* purpose binding: only open incidents, nothing after the incident's end date,
  nothing posted before its start; adding/removing a source is audited;
* HTTP goes through one client (`http.py`): product User-Agent, proxy, timeouts,
  backoff on 429 (Retry-After) and 5xx; a malformed answer fails only its source;
* no credentials in the database: a source names an environment variable
  (`token_env`) whose value is read from the environment or `.streamlit/secrets.toml`.
"""

KINDS = ("inbox", "mastodon", "bluesky", "rss")
