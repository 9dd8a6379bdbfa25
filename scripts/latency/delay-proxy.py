#!/usr/bin/env python3
"""A TCP forwarder that behaves like a network link with a round-trip time and, optionally, a bandwidth cap.

    delay-proxy.py --listen 127.0.0.1:0 --target 127.0.0.1:8443 --rtt-ms 50 [--rate 100M] [--stats FILE]

What it emulates, per accepted connection:
  * the TCP handshake: nothing is forwarded, in either direction, until one RTT after the connection was accepted
    (the client's connect() returns at once here, so its first bytes are held back instead: they reach the target
    1.5 RTT after accept, as they would after a real SYN / SYN-ACK / ACK+data);
  * propagation: every chunk read from one side is written to the other RTT/2 after it was read, in order, so a TLS
    handshake, an HTTP request/response, a redirect or a new connection each cost their real round trips;
  * a shared access link (--rate BYTES/s, per direction, shared by all connections): chunks are serialised through a
    FIFO link that is busy for len/rate seconds per chunk (a token bucket with a one-chunk burst), then propagated;
  * a receive window (--window BYTES, per connection and direction): at most this many bytes are in flight (read,
    and not yet delivered plus RTT/2 for the ACK to come back). Like TCP's window it bounds one connection's
    throughput to about window/RTT, and it keeps the proxy's memory bounded. TCP slow start and loss are not emulated.
With --rtt-ms 0 and --rate 0 it is a plain forwarder with no timers. It is built on asyncio Protocols (no streams,
one callback per read of up to 256 KiB, asyncio's read size), so the proxy costs little CPU per byte.

It prints the bound port on stdout once it listens (so --listen HOST:0 works) and keeps --stats FILE up to date
(one JSON object: connections accepted, bytes each way), rewritten on every accept, every second while traffic
flows, and on SIGTERM/SIGINT/exit. Python 3.8+, standard library only.
"""
import argparse
import asyncio
import collections
import json
import os
import signal
import socket
import sys

CHUNK = 256 * 1024


def parse_size(text):
    """'100M' -> 100_000_000 (decimal K/M/G, binary Ki/Mi/Gi; a trailing B or /s is ignored); '0' -> 0."""
    t = text.strip().lower()
    if t.endswith("/s"):
        t = t[:-2]
    if t.endswith("b"):
        t = t[:-1]
    units = {"ki": 2**10, "mi": 2**20, "gi": 2**30, "k": 10**3, "m": 10**6, "g": 10**9}
    for suffix, mult in units.items():
        if t.endswith(suffix):
            return int(float(t[: -len(suffix)]) * mult)
    return int(float(t))


def parse_hostport(text, default_host="127.0.0.1"):
    host, _, port = text.rpartition(":")
    return (host.strip("[]") or default_host), int(port)


class Link:
    """One direction of the shared access link: a FIFO serialiser at `rate` bytes/s (0 = infinitely fast)."""

    def __init__(self, rate):
        self.rate = rate
        self.free_at = 0.0

    def finish(self, now, nbytes):
        if self.rate <= 0:
            return now
        start = max(now, self.free_at)
        self.free_at = start + nbytes / self.rate
        return self.free_at


class Stats:
    def __init__(self, path):
        self.path = path
        self.connections = 0
        self.active = 0
        self.up = 0    # client -> target
        self.down = 0  # target -> client
        self.dirty = False

    def write(self):
        self.dirty = False
        if not self.path:
            return
        body = json.dumps({"connections": self.connections, "active": self.active,
                           "bytes_up": self.up, "bytes_down": self.down, "pid": os.getpid()})
        tmp = self.path + ".tmp"
        try:
            with open(tmp, "w") as f:
                f.write(body + "\n")
            os.replace(tmp, self.path)
        except OSError as e:
            print(f"delay-proxy: cannot write stats {self.path}: {e}", file=sys.stderr)


class Side(asyncio.Protocol):
    """One socket of a proxied connection (the client's or the target's)."""

    def __init__(self, conn, name):
        self.conn = conn
        self.name = name
        self.transport = None
        self.out = None        # the Pipe carrying what this side reads
        self.paused = set()    # why reading is paused: "window" (ours), "peer" (the other side's buffer is full)
        self.lost = False
        self.early = []

    def connection_made(self, transport):
        self.transport = transport
        sock = transport.get_extra_info("socket")
        if sock is not None:
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        transport.set_write_buffer_limits(high=4 * CHUNK, low=CHUNK)
        if self.name == "client":
            self.pause("connect")
            self.conn.client_made(self)

    def pause(self, why):
        if not self.paused and not self.lost:
            self.transport.pause_reading()
        self.paused.add(why)

    def resume(self, why):
        self.paused.discard(why)
        if not self.paused and not self.lost and self.transport is not None and not self.transport.is_closing():
            self.transport.resume_reading()

    def data_received(self, data):
        if self.out is None:  # (only before the pipes are wired up)
            self.early.append(data)
        else:
            self.out.send(data)

    def eof_received(self):
        if self.out is None:
            self.early.append(Pipe.EOF)
        else:
            self.out.send(Pipe.EOF)
        return True  # keep the other direction open (half-close)

    def pause_writing(self):
        peer = self.conn.peer(self)
        if peer is not None:
            peer.pause("peer")

    def resume_writing(self):
        peer = self.conn.peer(self)
        if peer is not None:
            peer.resume("peer")

    def connection_lost(self, exc):
        self.lost = True
        self.conn.side_lost(self, exc)


class Pipe:
    """One direction of one connection: delivers what `src` reads to `dst`, RTT/2 later, in order."""
    EOF = object()
    CLOSE = object()
    ABORT = object()

    def __init__(self, proxy, conn, src, dst, direction):
        self.proxy = proxy
        self.conn = conn
        self.src = src
        self.dst = dst
        self.direction = direction
        self.link = proxy.links[direction]
        self.queue = collections.deque()
        self.timer = None
        self.in_flight = 0
        self.finished = False
        self.eof_delivered = False
        self.loop = asyncio.get_running_loop()

    def send(self, item):
        proxy = self.proxy
        if self.finished:
            return
        if item is self.EOF or item is self.CLOSE or item is self.ABORT:
            n = 0
        else:
            n = len(item)
            proxy.count(self.direction, n)
        if not proxy.delayed:
            self.deliver(item)
            return
        now = max(self.loop.time(), self.conn.gate)
        at = self.link.finish(now, n) + proxy.half_rtt
        self.queue.append((at, item))
        if n:
            self.in_flight += n
            if self.in_flight >= proxy.window:
                self.src.pause("window")
        if self.timer is None:
            self.timer = self.loop.call_at(self.queue[0][0], self.flush)

    def flush(self):
        self.timer = None
        now = self.loop.time()
        half = self.proxy.half_rtt
        while self.queue and self.queue[0][0] <= now + 0.0005:
            _, item = self.queue.popleft()
            self.deliver(item)
            if self.finished:
                self.queue.clear()
                return
            if item is not self.EOF and item is not self.CLOSE and item is not self.ABORT:
                # the window opens again once the receiver's ACK is back: RTT/2 after delivery
                if half > 0:
                    self.loop.call_later(half, self.release, len(item))
                else:
                    self.release(len(item))
        if self.queue:
            self.timer = self.loop.call_at(self.queue[0][0], self.flush)

    def release(self, n):
        self.in_flight -= n
        if self.in_flight < self.proxy.window:
            self.src.resume("window")

    def deliver(self, item):
        t = self.dst.transport
        if self.dst.lost or t is None:
            self.stop()
            return
        if item is self.EOF:
            self.eof_delivered = True
            if t.can_write_eof():
                t.write_eof()
            self.conn.eof_delivered()
        elif item is self.CLOSE:
            t.close()
            self.stop()
        elif item is self.ABORT:
            t.abort()
            self.stop()
        else:
            t.write(item)

    def stop(self):
        self.finished = True
        self.queue.clear()
        if self.timer is not None:
            self.timer.cancel()
            self.timer = None


class Connection:
    def __init__(self, proxy):
        self.proxy = proxy
        self.loop = asyncio.get_running_loop()
        self.client = None
        self.target = None
        self.gate = 0.0
        self.up = None
        self.down = None
        self.lost = 0
        self.closed = False

    def peer(self, side):
        return self.target if side is self.client else self.client

    def client_made(self, client):
        self.client = client
        self.gate = self.loop.time() + self.proxy.rtt  # the handshake: nothing moves before this
        proxy = self.proxy
        proxy.stats.connections += 1
        proxy.stats.active += 1
        proxy.stats.write()
        self.loop.create_task(self.connect())

    async def connect(self):
        try:
            _, target = await self.loop.create_connection(lambda: Side(self, "target"), *self.proxy.target)
        except OSError as e:
            print(f"delay-proxy: cannot connect to {self.proxy.target}: {e}", file=sys.stderr)
            self.client.transport.abort()
            return
        self.target = target
        self.up = Pipe(self.proxy, self, self.client, target, "up")
        self.down = Pipe(self.proxy, self, target, self.client, "down")
        self.client.out = self.up
        target.out = self.down
        for side in (self.client, target):
            for item in side.early:
                side.out.send(item)
            side.early = []
        if self.client.lost:
            target.transport.close()
            return
        self.client.resume("connect")

    def eof_delivered(self):
        """Both directions half-closed: the TCP connection is over on both sockets."""
        if self.up.eof_delivered and self.down.eof_delivered:
            for side in (self.client, self.target):
                if side.transport is not None and not side.transport.is_closing():
                    side.transport.close()

    def side_lost(self, side, exc):
        self.lost += 1
        if self.target is None or self.up is None:  # lost before the pipes were wired up
            if side is self.client:
                self.done()
            return
        inbound = self.up if side is self.target else self.down   # the pipe writing to `side`: nothing to deliver to
        outbound = side.out                                       # the pipe carrying what `side` sent: finish it
        if inbound is not None:
            inbound.stop()
        if outbound is not None and not outbound.finished:
            outbound.send(Pipe.CLOSE if exc is None else Pipe.ABORT)
        if self.lost == 2:
            self.done()

    def done(self):
        if self.closed:
            return
        self.closed = True
        self.proxy.stats.active -= 1
        self.proxy.stats.dirty = True


class Proxy:
    def __init__(self, args):
        self.target = parse_hostport(args.target)
        self.half_rtt = args.rtt_ms / 2000.0
        self.rtt = args.rtt_ms / 1000.0
        self.window = args.window
        self.links = {"up": Link(args.rate), "down": Link(args.rate)}
        self.stats = Stats(args.stats)
        self.delayed = self.rtt > 0 or args.rate > 0

    def count(self, direction, n):
        if direction == "up":
            self.stats.up += n
        else:
            self.stats.down += n
        self.stats.dirty = True


async def main_async(args):
    proxy = Proxy(args)
    host, port = parse_hostport(args.listen)
    loop = asyncio.get_running_loop()
    server = await loop.create_server(lambda: Side(Connection(proxy), "client"), host, port, backlog=512)
    bound = server.sockets[0].getsockname()[1]
    print(bound, flush=True)
    proxy.stats.write()
    stop = asyncio.get_running_loop().create_future()
    for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        try:
            asyncio.get_running_loop().add_signal_handler(sig, lambda: stop.done() or stop.set_result(None))
        except (NotImplementedError, RuntimeError):
            pass

    async def flush_stats():
        while True:
            await asyncio.sleep(1.0)
            if proxy.stats.dirty:
                proxy.stats.write()

    flusher = asyncio.ensure_future(flush_stats())
    try:
        await stop
    finally:
        flusher.cancel()
        server.close()
        proxy.stats.write()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--listen", default="127.0.0.1:0", help="HOST:PORT to listen on (port 0 = any; printed on stdout)")
    ap.add_argument("--target", required=True, help="HOST:PORT to forward to")
    ap.add_argument("--rtt-ms", type=float, default=0.0, help="round-trip time to emulate, in ms (default 0)")
    ap.add_argument("--rate", type=parse_size, default=0,
                    help="bandwidth cap per direction in bytes/s, shared by all connections: 100M, 12.5M, 1Gi; 0 = none")
    ap.add_argument("--window", type=parse_size, default=parse_size("16Mi"),
                    help="bytes in flight per connection and direction (TCP-window-like; default 16Mi)")
    ap.add_argument("--stats", help="JSON file with connections accepted and bytes each way")
    args = ap.parse_args()
    if args.rtt_ms < 0:
        ap.error("--rtt-ms must be >= 0")
    try:
        asyncio.run(main_async(args))
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
