"""The bundled indicators file kept on disk between runs (config._to_disk / _from_disk)."""

import hashlib
import json
import os

import pytest

from scast_cli import config as C


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.setattr(C, "_LOADED", type(C._LOADED)())
    return tmp_path / "scast"


def _load():
    C._LOADED.clear()
    warnings = []
    return C.load_config(warnings=warnings), warnings


def test_the_second_run_builds_the_same_config_from_the_cache(cache, monkeypatch):
    fresh, warned = _load()
    files = list(cache.iterdir())
    assert len(files) == 1 and files[0].stat().st_mode & 0o777 == 0o600
    monkeypatch.setattr(C, "_load", lambda *a: pytest.fail("read the YAML again"))
    cached, warned_again = _load()
    assert C._tree(cached) == C._tree(fresh) and cached == fresh
    assert warned_again == warned and [w.params for w in warned_again] == [w.params for w in warned]
    assert cached.formulas.keys() == fresh.formulas.keys() and cached.field_by_id.keys() == fresh.field_by_id.keys()
    from scast_cli.readers import normalise

    assert cached.__dict__["spellings"] == fresh.spellings and fresh.spellings[normalise("乡鎮（街道）數")] == "township_count"


def test_the_cached_spellings_spare_opencc(cache, monkeypatch):
    """A one-region score folds the config's Chinese labels only once, when the cache is made."""
    from scast_cli import readers

    _load()
    monkeypatch.setattr(readers, "_t2s", lambda: pytest.fail("OpenCC loaded"))
    cached, _ = _load()
    assert readers.field_lookup(cached)["townshipcount"].id == "township_count"


def _rewrite(path, change):
    body = json.loads(path.read_text(encoding="utf-8"))
    payload = json.loads(body["payload"])
    change(payload)
    body["payload"] = json.dumps(payload)
    body["sha256"] = hashlib.sha256(body["payload"].encode()).hexdigest()
    path.write_text(json.dumps(body), encoding="utf-8")


def _first_model(payload):
    return payload["config"]["F"]["fields"]["L"][0]


@pytest.mark.parametrize(
    "change",
    [
        lambda p: _first_model(p).update(M="Path"),  # not one of the config's classes
        lambda p: _first_model(p)["F"].update(extra=1),  # a key the model does not have
        lambda p: _first_model(p)["F"].pop("id"),
        lambda p: p["config"].update(M="FieldSpec"),  # not a Config
        lambda p: p.update(layer=["x", "0" * 64]),  # made from other bytes
        lambda p: p["spellings"].update(x="no_such_field"),  # a spelling of a field the config does not have
        lambda p: p.pop("spellings"),  # a cache made before spellings were kept
    ],
)
def test_a_cache_that_is_not_the_configs_own_is_ignored(cache, change):
    fresh, _ = _load()
    (path,) = cache.iterdir()
    _rewrite(path, change)
    calls = []
    real = C._load
    C_load = lambda *a: calls.append(1) or real(*a)  # noqa: E731
    try:
        C._load = C_load
        again, _ = _load()
    finally:
        C._load = real
    assert calls == [1] and again == fresh  # read from the YAML, and the cache written afresh
    assert json.loads(json.loads(path.read_text(encoding="utf-8"))["payload"]) != {}


def test_a_corrupt_or_writable_cache_is_ignored(cache, monkeypatch):
    _load()
    (path,) = cache.iterdir()
    calls = []
    real = C._load
    monkeypatch.setattr(C, "_load", lambda *a: calls.append(1) or real(*a))
    path.write_bytes(path.read_bytes()[:-10])  # cut short
    _load()
    text = path.read_text(encoding="utf-8")
    assert '\\"version\\"' in text
    path.write_text(text.replace('\\"version\\"', '\\"versiom\\"', 1), encoding="utf-8")  # changed without its checksum
    _load()
    if hasattr(os, "getuid"):
        os.chmod(path, 0o666)  # anybody may write it
        _load()
        assert len(calls) == 3
    _load()  # written afresh by the last load: used
    assert len(calls) == (3 if hasattr(os, "getuid") else 2)


def test_a_users_own_file_is_not_cached(cache, tmp_path):
    own = tmp_path / "own.yaml"
    own.write_text("extends: default\n", encoding="utf-8")
    C._LOADED.clear()
    C.load_config(own)
    assert not any(p.name.startswith("config-") for p in cache.iterdir()) if cache.exists() else True
