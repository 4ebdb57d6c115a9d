import json
import pytest

BODY = {
    "library": {"name": "Médiathèque", "city": "Poitiers", "postcode": "86000"},
    "contact": {"name": "Camille", "email": "c@example.fr"},
    "title": "T", "description": "D", "kind": "advice", "domains": ["A1"], "consent": True,
}

@pytest.mark.parametrize("raw", [
    json.dumps(BODY),
    json.dumps({**BODY, "consent": "yes"}),
    json.dumps({**BODY, "title": 123}),
    json.dumps({**BODY, "domains": "A1"}),
    json.dumps({**BODY, "library": "x"}),
    json.dumps([BODY]),
    "", "not json", "{", "null", "123",
    json.dumps({**BODY, "contact": {"name": "  ", "email": "bad"}}),
    json.dumps({**BODY, "domains": ["ZZ"], "kind": "nope"}),
    json.dumps({**BODY, "description": "x" * 1_000_000}),
    json.dumps({**BODY, "description": "x" * 4_000_000}),
    json.dumps({**BODY, "library": {**BODY["library"], "isil": "FR-12"}}),
    json.dumps({**BODY, "desired_start": 12345}),
    json.dumps({**BODY, "title": "a\x00b"}),
])
def test_probe(client, raw):
    r = client.post("/api/v1/requests", data=raw, content_type="application/json")
    print(r.status_code, r.headers.get("Content-Type"), r.content[:400])

def test_probe_track(client, filed):
    r = client.get(f"/api/v1/track/{filed.tracking_token}")
    print(r.status_code, r.content[:600])
    for p in ["/api/v1/nope", "/api/v1/track/abc"]:
        r = client.get(p); print(p, r.status_code, r.headers.get("Content-Type"), r.content[:200])
    r = client.delete("/api/v1/requests"); print("DEL", r.status_code, r.headers.get("Content-Type"), r.content[:200])
    r = client.get("/api/v1/requests"); print("GET", r.status_code, r.headers.get("Content-Type"), r.content[:200])
    r = client.post("/api/v1/requests", data="a=b", content_type="application/x-www-form-urlencoded"); print("FORM", r.status_code, r.content[:300])
    r = client.get("/api/v1/docs"); print(r.status_code, r.content.decode()[:1500])
