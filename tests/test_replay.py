"""Replay: messages go in in time order, batch by batch, at the chosen speed."""

from __future__ import annotations

import pandas as pd
import pytest

from pipeline import schema as S
from pipeline.cli import replay as replay_cli
from pipeline.ingest import replay

CSV = "ID;Datum;Bron;Auteur;Bericht\n" + "\n".join(
    f"{i};11-07-2026 13:{i:02d}:00;Twitter;user{i};Rook boven Heidewijk {i}" for i in range(10))


class FakeClock:
    """A clock that only moves when the replay sleeps."""

    def __init__(self):
        self.now = 0.0
        self.sleeps = []

    def __call__(self):
        return self.now

    def sleep(self, seconds):
        self.sleeps.append(seconds)
        self.now += max(seconds, 0.001)


@pytest.fixture
def incident(engine):
    from pipeline.storage import store

    store.create_incident(engine, name="Oefening", purpose="oefenen", legal_basis="test",
                          responsible_officer="test",
                          start_at=pd.Timestamp("2026-07-11 11:00", tz="UTC").to_pydatetime())
    return "Oefening"


def raw_frame():
    from pipeline.ingest.load import read_messages

    return read_messages(CSV.encode(), filename="x.csv")


def test_replay_inserts_in_time_order_at_speed(engine, incident):
    from pipeline.storage import store

    clock = FakeClock()
    batches = []
    added = replay.replay_frame(raw_frame().iloc[::-1], incident, speed=60, tick=1, engine=engine,
                                sleep=clock.sleep, clock=clock, on_batch=lambda d, n: batches.append(d))
    assert added == 10
    assert batches == list(range(1, 11))  # one message a minute -> one a second at 60x
    assert clock.now == pytest.approx(9, abs=0.1)
    stored = store.load_messages(engine, store.get_incident(engine, incident)["id"])
    assert stored[S.INGESTED_AT].is_monotonic_increasing
    assert stored[S.CREATED_AT].min() == pd.Timestamp("2026-07-11 11:00", tz="UTC")  # times kept


def test_replay_stops_after_max_seconds(engine, incident):
    clock = FakeClock()
    added = replay.replay_frame(raw_frame(), incident, speed=60, engine=engine, max_seconds=3.5,
                                sleep=clock.sleep, clock=clock)
    assert added == 4  # messages due at 0, 1, 2, 3 s


@pytest.mark.parametrize("kwargs", [{"speed": 0}, {"speed": -1}, {"tick": 0}])
def test_replay_rejects_bad_settings(engine, incident, kwargs):
    with pytest.raises(ValueError):
        replay.replay_frame(raw_frame(), incident, engine=engine, **kwargs)


def test_shift_to_moves_the_first_message():
    raw = raw_frame()
    start = pd.Timestamp("2026-11-01 09:00", tz="UTC")
    shifted = replay.shift_to(raw, start)
    assert shifted[S.CREATED_AT].min() == start
    gaps = shifted[S.CREATED_AT].diff().dropna().unique()
    assert list(gaps) == [pd.Timedelta(minutes=1)]


def test_cli_replays_a_file(engine, incident, tmp_path, capsys):
    path = tmp_path / "export.csv"
    path.write_text(CSV, encoding="utf-8")
    assert replay_cli.main([str(path), "--incident", incident, "--speed", "100000", "--tick", "0.01"]) == 0
    out = capsys.readouterr()
    assert "10 berichten toegevoegd" in out.out
    assert "10/10 berichten afgespeeld" in out.err


def test_cli_unknown_incident(engine, tmp_path, capsys):
    path = tmp_path / "export.csv"
    path.write_text(CSV, encoding="utf-8")
    assert replay_cli.main([str(path), "--incident", "bestaat niet", "--speed", "1000"]) == 2


def test_cli_is_routed_and_documented():
    from pipeline.__main__ import COMMANDS

    assert COMMANDS["replay"][0] == "pipeline.cli.replay:main"
    with pytest.raises(SystemExit):
        replay_cli.main(["--help"])
