# shellcheck shell=bash
# Sourced by bench.sh and serve.sh: the emulated "Hub over the internet" in front of `hubscout serve`.
#
#   client ──► delay proxy :API_PROXY_PORT ──► nginx TLS+h2 :NGINX_API_PORT ──► hubscout serve API 127.0.0.1:HS_API_PORT
#   client ──► delay proxy :FILE_PROXY_PORT ─► nginx TLS+h2 :NGINX_FILE_PORT ─► hubscout serve files 127.0.0.2:FILE_PROXY_PORT
#
# hubscout serve runs with --public-url https://127.0.0.1:API_PROXY_PORT and --file-port FILE_PROXY_PORT, so Link
# headers and LFS redirects name the delay proxies (the file host's own listener sits on 127.0.0.2 with the same port
# number, since serve advertises the file host on the public URL's host with the file port). nginx passes Host through
# and logs one line per request ($request_time, $connection) to $LT_WORK/access.log; each proxy keeps its accepted
# connection count in $LT_WORK/proxy-{api,file}.json.
#
# Needs: LT_WORK (a scratch folder), FIXTURES (the cache to serve), HUBSCOUT; optional TLS (1, or 0 for plain HTTP
# behind the same nginx and proxies), RATE (bytes/s per direction, 0 = none), WINDOW (bytes in flight per
# connection, default 16Mi). Functions: lt_certs, lt_stack_up, lt_proxies_up RTT_MS, lt_proxies_down, lt_stack_down,
# lt_requests (access-log lines so far), lt_connections (connections accepted by both proxies so far).

LT_HERE=${LT_HERE:-$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)}
LT_PIDS=()       # every process we start, stopped by lt_stack_down
LT_PROXY_PIDS=()

lt_log() { echo "[latency] $*" >&2; }

# lt_free_port: a TCP port free on 127.0.0.1 and on 127.0.0.2 (the file host listens there with the same number).
lt_free_port() {
    python3 - <<'PY'
import socket
for _ in range(100):
    a = socket.socket(); a.bind(("127.0.0.1", 0)); port = a.getsockname()[1]
    b = socket.socket()
    try:
        b.bind(("127.0.0.2", port))
    except OSError:
        a.close(); continue
    a.close(); b.close(); print(port); break
PY
}

# lt_certs DIR: a throw-away CA (ca.pem) and a server certificate for 127.0.0.1, 127.0.0.2 and localhost.
lt_certs() {
    local dir=$1
    mkdir -p "$dir"
    [ -s "$dir/ca.pem" ] && [ -s "$dir/server.pem" ] && return 0
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj "/CN=hubscout latency bench CA" \
        -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
        -keyout "$dir/ca.key" -out "$dir/ca.pem" 2>/dev/null
    openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=127.0.0.1" \
        -keyout "$dir/server.key" -out "$dir/server.csr" 2>/dev/null
    printf '%s\n' "basicConstraints=CA:FALSE" "keyUsage=critical,digitalSignature,keyEncipherment" \
        "extendedKeyUsage=serverAuth" "subjectAltName=IP:127.0.0.1,IP:127.0.0.2,DNS:localhost" > "$dir/server.ext"
    openssl x509 -req -in "$dir/server.csr" -CA "$dir/ca.pem" -CAkey "$dir/ca.key" -CAcreateserial -days 2 \
        -extfile "$dir/server.ext" -out "$dir/server.pem" 2>/dev/null
    chmod 644 "$dir"/*.pem "$dir"/*.key
}

lt_nginx_conf() {
    local listen_opts="ssl http2" tls_lines
    tls_lines="ssl_certificate $LT_WORK/tls/server.pem; ssl_certificate_key $LT_WORK/tls/server.key;
        ssl_protocols TLSv1.2 TLSv1.3; ssl_session_cache shared:SSL:10m;"
    if [ "${TLS:-1}" = 0 ]; then listen_opts=""; tls_lines=""; fi
    cat > "$LT_WORK/nginx.conf" <<CONF
worker_processes 1;
pid $LT_WORK/nginx.pid;
error_log $LT_WORK/nginx-error.log warn;
daemon on;
events { worker_connections 1024; }
http {
    log_format latency '\$msec \$server_port c=\$connection n=\$connection_requests \$status t=\$request_time '
                       'u=\$upstream_response_time "\$request" \$body_bytes_sent "\$http_range" \$server_protocol '
                       '"\$http_user_agent"';
    access_log $LT_WORK/access.log latency;
    client_body_temp_path $LT_WORK/tmp-body; proxy_temp_path $LT_WORK/tmp-proxy; fastcgi_temp_path $LT_WORK/tmp-fcgi;
    uwsgi_temp_path $LT_WORK/tmp-uwsgi; scgi_temp_path $LT_WORK/tmp-scgi;
    keepalive_timeout 75s;
    keepalive_requests 10000;
    upstream hubscout_api  { server 127.0.0.1:$HS_API_PORT;    keepalive 64; }
    upstream hubscout_file { server 127.0.0.2:$FILE_PROXY_PORT; keepalive 64; }
    # Stream bodies through memory (never to temp files) and keep the client's Host, Range and headers as sent.
    proxy_http_version 1.1;
    proxy_set_header Connection "";
    proxy_set_header Host \$http_host;
    proxy_set_header X-Forwarded-Proto \$scheme;
    proxy_redirect off;
    proxy_buffering on;
    proxy_buffers 16 256k;
    proxy_busy_buffers_size 512k;
    proxy_max_temp_file_size 0;
    proxy_request_buffering off;
    proxy_read_timeout 300s;
    client_max_body_size 16m;
    server {
        listen 127.0.0.1:$NGINX_API_PORT $listen_opts;
        $tls_lines
        location / { proxy_pass http://hubscout_api; }
    }
    server {
        listen 127.0.0.1:$NGINX_FILE_PORT $listen_opts;
        $tls_lines
        location / { proxy_pass http://hubscout_file; }
    }
}
CONF
}

lt_wait_port() {  # host port [tries]
    local i
    for i in $(seq 1 "${3:-100}"); do
        (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null && return 0
        sleep 0.1
    done
    return 1
}

# lt_stack_up: certificates, hubscout serve and nginx (the proxies come per RTT with lt_proxies_up).
lt_stack_up() {
    mkdir -p "$LT_WORK"
    chmod 755 "$LT_WORK"   # nginx workers run as an unprivileged user
    local scheme=https
    [ "${TLS:-1}" = 0 ] && scheme=http
    [ "${TLS:-1}" = 0 ] || lt_certs "$LT_WORK/tls"
    CA_FILE="$LT_WORK/tls/ca.pem"
    API_PROXY_PORT=$(lt_free_port); FILE_PROXY_PORT=$(lt_free_port)
    NGINX_API_PORT=$(lt_free_port); NGINX_FILE_PORT=$(lt_free_port); HS_API_PORT=$(lt_free_port)
    ENDPOINT="$scheme://127.0.0.1:$API_PROXY_PORT"
    "$HUBSCOUT" serve "$FIXTURES" --host 127.0.0.1 --port "$HS_API_PORT" --file-host 127.0.0.2 \
        --file-port "$FILE_PROXY_PORT" --public-url "$ENDPOINT" >"$LT_WORK/serve.log" 2>&1 &
    LT_PIDS+=($!)
    lt_wait_port 127.0.0.1 "$HS_API_PORT" 300 && lt_wait_port 127.0.0.2 "$FILE_PROXY_PORT" 50 \
        || { lt_log "hubscout serve did not start:"; cat "$LT_WORK/serve.log" >&2; return 1; }
    lt_nginx_conf
    local nginx
    nginx=$(command -v nginx || echo /usr/sbin/nginx)
    "$nginx" -c "$LT_WORK/nginx.conf" -p "$LT_WORK" 2>"$LT_WORK/nginx-start.log" \
        || { lt_log "nginx did not start:"; cat "$LT_WORK/nginx-start.log" >&2; return 1; }
    lt_wait_port 127.0.0.1 "$NGINX_API_PORT" && lt_wait_port 127.0.0.1 "$NGINX_FILE_PORT" \
        || { lt_log "nginx is not listening"; cat "$LT_WORK/nginx-error.log" >&2; return 1; }
    : > "$LT_WORK/access.log"
}

# lt_proxies_up RTT_MS: (re)starts both delay proxies on their fixed ports.
lt_proxies_up() {
    local rtt=$1 name listen target
    lt_proxies_down
    for name in api file; do
        if [ "$name" = api ]; then listen=$API_PROXY_PORT; target=$NGINX_API_PORT; else listen=$FILE_PROXY_PORT; target=$NGINX_FILE_PORT; fi
        rm -f "$LT_WORK/proxy-$name.json" "$LT_WORK/proxy-$name.port"
        python3 "$LT_HERE/delay-proxy.py" --listen "127.0.0.1:$listen" --target "127.0.0.1:$target" --rtt-ms "$rtt" \
            --rate "${RATE:-0}" --window "${WINDOW:-16Mi}" --stats "$LT_WORK/proxy-$name.json" \
            >"$LT_WORK/proxy-$name.port" 2>>"$LT_WORK/proxy-$name.log" &
        LT_PROXY_PIDS+=($!)
    done
    local i
    for i in $(seq 1 100); do
        [ -s "$LT_WORK/proxy-api.port" ] && [ -s "$LT_WORK/proxy-file.port" ] && return 0
        sleep 0.05
    done
    lt_log "delay proxies did not start:"; cat "$LT_WORK"/proxy-*.log >&2; return 1
}

lt_proxies_down() {
    local pid
    for pid in "${LT_PROXY_PIDS[@]:-}"; do
        [ -n "$pid" ] || continue
        { kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null; } || true
    done
    LT_PROXY_PIDS=()
}

lt_stack_down() {
    lt_proxies_down
    if [ -n "${LT_WORK:-}" ] && [ -s "$LT_WORK/nginx.pid" ]; then
        local npid
        npid=$(cat "$LT_WORK/nginx.pid")
        kill "$npid" 2>/dev/null || true   # master; it stops its workers
        for _ in $(seq 1 50); do   # (a daemon's exited master may linger as a zombie where nothing reaps it)
            grep -qs '^State:[[:space:]]*[^Z]' "/proc/$npid/status" || break
            sleep 0.1
        done
    fi
    local pid
    for pid in "${LT_PIDS[@]:-}"; do
        [ -n "$pid" ] || continue
        { kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null; } || true
    done
    LT_PIDS=()
    return 0
}

# lt_warm: one request straight to hubscout serve (not through nginx or a proxy, so not counted): serve re-reads the
# cache folder when its view is older than 2 s (~0.2 s for the ~170 repos here), which a real Hub never makes a
# client wait for; warming it before each measured command keeps that out of the timings of short commands.
lt_warm() { curl -s -o /dev/null --max-time 10 "http://127.0.0.1:$HS_API_PORT/api/models?limit=1" || true; }

lt_requests() { wc -l < "$LT_WORK/access.log"; }

lt_connections() {
    python3 -c '
import json, sys
n = 0
for p in sys.argv[1:]:
    try:
        n += json.load(open(p))["connections"]
    except (OSError, ValueError, KeyError):
        pass
print(n)' "$LT_WORK/proxy-api.json" "$LT_WORK/proxy-file.json"
}
