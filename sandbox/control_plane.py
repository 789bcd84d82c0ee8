"""The control plane's HTTP endpoints: /_sandbox/health, /faults[/<system>], /requests."""
from __future__ import annotations

from collections.abc import Callable

from werkzeug.wrappers import Request, Response

from sandbox.control import KINDS, LOOPBACK, MAX_LATENCY_MS, SYSTEMS, Control, Fault, json_response


def serve(control: Control, health: Callable[[], bool], request: Request) -> Response:
    """Answer one control-plane request (loopback clients only)."""
    if request.remote_addr not in LOOPBACK:
        forbidden = {"code": "forbidden", "message": "control plane is loopback only"}
        return json_response({"error": forbidden}, 403)
    parts = [part for part in request.path.split("/") if part][1:]
    method = request.method
    if parts == ["health"] and method == "GET":
        ok = bool(health())
        return json_response({"ok": ok}, 200 if ok else 503)
    if parts == ["faults"] and method == "GET":
        with control.lock:
            holding: dict[str, int] = {}
            for fault in control.waiting:
                holding[fault.system] = holding.get(fault.system, 0) + 1
            faults = {name: f.describe() for name, f in control.faults.items()}
            in_flight = dict(control.in_flight)
        return json_response({"data": faults, "holding": holding, "in_flight": in_flight})
    if parts == ["faults"] and method == "DELETE":
        control.clear()
        return json_response({"ok": True})
    if len(parts) == 2 and parts[0] == "faults" and method in ("PUT", "DELETE"):
        if parts[1] not in SYSTEMS:
            return json_response(
                {"error": {"code": "not_found", "message": f"systems: {', '.join(SYSTEMS)}"}}, 404
            )
        if method == "DELETE":
            control.clear(parts[1])
            return json_response({"ok": True})
        return put_fault(control, parts[1], request)
    if parts == ["requests"] and method == "GET":
        wanted = request.args.get("system")
        with control.lock:
            data = [dict(e) for e in control.log if wanted in (None, e["system"])]
        return json_response({"data": data})
    if parts == ["requests"] and method == "DELETE":
        with control.lock:
            control.log.clear()
        return json_response({"ok": True})
    return json_response({"error": {"code": "not_found", "message": "no such control-plane endpoint"}}, 404)


def put_fault(control: Control, system: str, request: Request) -> Response:
    """Arm a fault from {"kind", "ms"?, "times"?}; 400 with the reason when malformed."""
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        return _bad("body must be a JSON object")
    unknown = sorted(set(body) - {"kind", "ms", "times"})
    kind, ms, times = body.get("kind"), body.get("ms", 0), body.get("times")
    if unknown:
        return _bad(f"unknown field(s): {', '.join(unknown)}")
    if kind not in KINDS:
        return _bad(f"kind must be one of {', '.join(KINDS)}")
    if type(ms) is not int or not 0 <= ms <= MAX_LATENCY_MS or (kind == "latency" and "ms" not in body):
        return _bad(f"ms must be an integer from 0 to {MAX_LATENCY_MS} (required for latency)")
    if times is not None and (type(times) is not int or times < 1):
        return _bad("times must be a positive integer")
    fault = Fault(system, kind, ms, times)
    control.arm(system, fault)
    return json_response({"system": system, **fault.describe()})


def _bad(message: str) -> Response:
    return json_response({"error": {"code": "bad_request", "message": message}}, 400)
