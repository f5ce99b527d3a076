# Sourced by the package tests. serve_port LOG: the port a `fieldpost serve
# --listen 127.0.0.1:0` logs in LOG once it listens (waiting up to 10 s),
# or nothing if it never does.
serve_port() {
  local port=""
  for _ in $(seq 100); do
    port=$(sed -n 's|.*listening on http://127\.0\.0\.1:\([0-9]*\)/.*|\1|p' "$1")
    [ -n "$port" ] && break
    sleep 0.1
  done
  echo "$port"
}
