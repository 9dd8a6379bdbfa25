#!/usr/bin/env python3
"""A small TLS server for the transport tests (Python stdlib only).

Modes:
  www     answers every GET with 200 and a short body, HTTP/1.1 keep-alive.
  silent  completes the TLS handshake, reads the request and never answers (a slow-loris server).

--alpn h2,http/1.1 advertises HTTP/2 without speaking it, as a middlebox that breaks HTTP/2 does: a client
that picks h2 gets HTTP/1.1 bytes back. Each accepted connection's negotiated protocol is appended to --log,
one line per connection, so a test can count connections and see what they spoke. The bound port is
printed on stdout once the server listens.
"""
import argparse, http.server, signal, ssl, sys, threading, time


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cert", required=True)
    ap.add_argument("--key", required=True)
    ap.add_argument("--alpn", default="")
    ap.add_argument("--mode", choices=["www", "silent"], default="www")
    ap.add_argument("--log", required=True)
    args = ap.parse_args()
    # A child of a test runner's worker thread inherits its blocked signals; SIGTERM must stop this server.
    signal.pthread_sigmask(signal.SIG_UNBLOCK, [signal.SIGTERM, signal.SIGINT])

    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(args.cert, args.key)
    if args.alpn:
        context.set_alpn_protocols(args.alpn.split(","))
    log_lock = threading.Lock()

    def record(protocol):
        with log_lock, open(args.log, "a") as f:
            f.write((protocol or "none") + "\n")

    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self):
            body = b"ok\n"
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *a):
            pass

    class Server(http.server.ThreadingHTTPServer):
        daemon_threads = True

        def get_request(self):
            raw, addr = self.socket.accept()
            try:
                conn = context.wrap_socket(raw, server_side=True)
            except (ssl.SSLError, OSError):
                # An untrusting client hangs up during the handshake; that is the point of some tests.
                record("handshake-failed")
                raw.close()
                raise OSError("handshake failed")
            record(conn.selected_alpn_protocol())
            if args.mode == "silent":
                threading.Thread(target=hold, args=(conn,), daemon=True).start()
                raise OSError("held")
            return conn, addr

        def handle_error(self, request, client_address):
            pass

    def hold(conn):
        try:
            conn.recv(65536)
            time.sleep(600)
        except OSError:
            pass

    server = Server(("127.0.0.1", 0), Handler)
    print(server.server_address[1], flush=True)
    server.serve_forever()


if __name__ == "__main__":
    sys.exit(main())
