"""The sandbox's webhook recorder keeps what it is sent, per name, until cleared."""
from __future__ import annotations

import pytest
from flask import Flask

from sandbox import webhooks


@pytest.fixture
def client(tmp_path):
    app = Flask("webhooks-test")
    webhooks.register(app, tmp_path)
    return app.test_client()


def test_posted_bodies_are_listed_in_order_and_cleared(client):
    assert client.post("/_sandbox/webhooks/alerts", json={"text": "one"}).status_code == 200
    client.post("/_sandbox/webhooks/alerts", json={"text": "two"})
    client.post("/_sandbox/webhooks/other", json={"text": "elsewhere"})
    listed = client.get("/_sandbox/webhooks/alerts").get_json()["data"]
    assert [e["body"]["text"] for e in listed] == ["one", "two"]
    assert client.delete("/_sandbox/webhooks/alerts").status_code == 204
    assert client.get("/_sandbox/webhooks/alerts").get_json() == {"data": []}
    assert len(client.get("/_sandbox/webhooks/other").get_json()["data"]) == 1


def test_non_json_bodies_are_refused_with_a_json_error(client):
    resp = client.post("/_sandbox/webhooks/alerts", data="text=hello")
    assert resp.status_code == 400 and resp.get_json()["error"]["code"] == "invalid_json"
    assert client.get("/_sandbox/webhooks/alerts").get_json() == {"data": []}


def test_a_forced_status_fails_without_recording(client):
    assert client.post("/_sandbox/webhooks/alerts?status=503", json={"text": "x"}).status_code == 503
    assert client.get("/_sandbox/webhooks/alerts").get_json() == {"data": []}


def test_bad_names_are_not_found(client):
    assert client.get("/_sandbox/webhooks/" + "x" * 65).status_code == 404
