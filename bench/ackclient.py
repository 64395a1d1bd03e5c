#!/usr/bin/env python3
"""Load client for bench/sigkill.sh: signed orders/paid webhooks over CONNECTIONS keep-alive
connections to 127.0.0.1, a fresh webhook id each, and a record of which ids got a 200.

wrk cannot do this: its response() callback does not say which request an answer belongs to.
Here each connection sends one request at a time, so the answer read next is that request's.

Writes ACKED (one webhook id a line, every id answered 200) and INFLIGHT (ids sent whose answer
never came, e.g. because the app was killed), then prints one line:
  CLIENT sent=… ok=… other=… inflight=… errors=… duration_s=…
Stops after --seconds, or earlier once every connection has failed (the app is gone).
"""
import argparse
import asyncio
import base64
import hashlib
import hmac
import time


def parse_args():
    p = argparse.ArgumentParser()
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--body", required=True)
    p.add_argument("--secret", required=True)
    p.add_argument("--run", required=True, help="prefix making every webhook id unique")
    p.add_argument("--connections", type=int, default=64)
    p.add_argument("--seconds", type=float, default=10)
    p.add_argument("--acked", required=True)
    p.add_argument("--inflight", required=True)
    return p.parse_args()


async def connection(n, args, head, tail, stats, acked, inflight, deadline):
    try:
        reader, writer = await asyncio.open_connection("127.0.0.1", args.port)
    except OSError:
        stats["errors"] += 1
        return
    i = 0
    try:
        while time.monotonic() < deadline:
            i += 1
            webhook_id = f"{args.run}-{n}-{i}"
            writer.write(head + webhook_id.encode() + tail)
            stats["sent"] += 1
            try:
                await writer.drain()
                status = await read_response(reader)
            except (OSError, asyncio.IncompleteReadError, ValueError):
                inflight.append(webhook_id)  # sent, never answered: stored or not, both are fine
                stats["errors"] += 1
                return
            if status == 200:
                acked.append(webhook_id)
                stats["ok"] += 1
            else:
                stats["other"] += 1
    finally:
        writer.close()


async def read_response(reader):
    """Reads one HTTP/1.1 response; returns its status code."""
    status_line = await reader.readuntil(b"\r\n")
    status = int(status_line.split(b" ", 2)[1])
    length = 0
    while True:
        line = await reader.readuntil(b"\r\n")
        if line == b"\r\n":
            break
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value.strip())
        elif name.strip().lower() == b"transfer-encoding":
            raise ValueError("chunked answers are not expected from /webhooks")
    if length:
        await reader.readexactly(length)
    return status


async def main():
    args = parse_args()
    body = open(args.body, "rb").read()
    signature = base64.b64encode(hmac.new(args.secret.encode(), body, hashlib.sha256).digest()).decode()
    head = (
        f"POST /webhooks HTTP/1.1\r\nHost: 127.0.0.1:{args.port}\r\nContent-Type: application/json\r\n"
        f"Content-Length: {len(body)}\r\nX-Shopify-Topic: orders/paid\r\n"
        f"X-Shopify-Shop-Domain: bench-shop.myshopify.com\r\nX-Shopify-API-Version: 2026-10\r\n"
        f"X-Shopify-Hmac-Sha256: {signature}\r\nX-Shopify-Webhook-Id: "
    ).encode()
    tail = b"\r\n\r\n" + body
    stats = {"sent": 0, "ok": 0, "other": 0, "errors": 0}
    acked, inflight = [], []
    start = time.monotonic()
    await asyncio.gather(*(
        connection(n, args, head, tail, stats, acked, inflight, start + args.seconds)
        for n in range(1, args.connections + 1)))
    duration = time.monotonic() - start
    with open(args.acked, "w") as f:
        f.writelines(i + "\n" for i in acked)
    with open(args.inflight, "w") as f:
        f.writelines(i + "\n" for i in inflight)
    print(f"CLIENT sent={stats['sent']} ok={stats['ok']} other={stats['other']} inflight={len(inflight)} "
          f"errors={stats['errors']} duration_s={duration:.3f}", flush=True)


if __name__ == "__main__":
    asyncio.run(main())
