"""The vl-convert worker process (started by charts/render.py): reads length-prefixed JSON
requests on standard input, answers each with a kind byte (B bytes, S text, E error), a length
and the payload. Ends when its parent closes the pipe."""

import json
import struct
import sys

import vl_convert

ALLOWED = ("vegalite_to_png", "vegalite_to_svg", "svg_to_png")


def _read(stream, size: int) -> bytes | None:
    data = stream.read(size)
    return data if data and len(data) == size else None


def main() -> None:
    inp, out = sys.stdin.buffer, sys.stdout.buffer
    while (head := _read(inp, 4)) is not None:
        body = _read(inp, struct.unpack(">I", head)[0])
        if body is None:
            return
        request = json.loads(body)
        try:
            if request["fn"] not in ALLOWED:
                raise ValueError(f"not a drawing function: {request['fn']}")
            answer = getattr(vl_convert, request["fn"])(*request["args"], **request["kwargs"])
            kind, payload = (b"S", answer.encode("utf-8")) if isinstance(answer, str) else (b"B", bytes(answer))
        except Exception as problem:  # the chart's own fault: said to the parent, the worker goes on
            kind, payload = b"E", str(problem).encode("utf-8")
        out.write(struct.pack(">cI", kind, len(payload)) + payload)
        out.flush()


if __name__ == "__main__":
    main()
