#!/usr/bin/env bash
# Builds the Debian package, checks it with lintian (no errors), installs
# it, smoke-tests the installed binary, and purges it again. Needs root.
set -euo pipefail
cd "$(dirname "$0")/../.."

fail() { echo "deb_test: $*" >&2; exit 1; }
[ "$(id -u)" -eq 0 ] || fail "installing the package needs root"
for tool in dpkg-buildpackage lintian curl python3; do
  command -v "$tool" >/dev/null || fail "$tool is not installed (scripts/install-deps test)"
done

work=$(mktemp -d)
server=""
cleanup() {
  [ -n "$server" ] && kill "$server" 2>/dev/null || true
  dpkg --purge fieldpost >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

packaging/build-deb "$work/out" >"$work/build.log" 2>&1 || { tail -40 "$work/build.log"; fail "build"; }
deb=$(ls "$work"/out/fieldpost_*_amd64.deb)
lintian --fail-on error "$deb" || fail "lintian reported errors"

DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$deb" >"$work/install.log" 2>&1 ||
  { cat "$work/install.log"; fail "install"; }
getent passwd fieldpost >/dev/null || fail "the fieldpost user was not created"
[ "$(stat -c %U:%a /var/lib/fieldpost 2>/dev/null)" = "fieldpost:750" ] ||
  fail "the state directory /var/lib/fieldpost was not created for the fieldpost user"
for file in /usr/bin/fieldpost /etc/fieldpost/fieldpost.conf /lib/systemd/system/fieldpost.service \
  /lib/systemd/system/fieldpost-fcgi.socket /usr/share/fieldpost/nginx/fieldpost.conf \
  /usr/share/fieldpost/nginx/fieldpost-upstream.conf \
  /usr/share/fieldpost/apache/fieldpost-proxy-fcgi.conf; do
  [ -e "$file" ] || fail "$file is missing after install"
done
/usr/bin/fieldpost --version | grep -q '^fieldpost ' || fail "--version"
/usr/bin/fieldpost check-config --config /etc/fieldpost/fieldpost.conf >/dev/null ||
  fail "the packaged configuration does not check"

# The installed binary serves a write and a read with the packaged config.
port=$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')
mkdir -p "$work/data"
key=$(/usr/bin/fieldpost channel create --data "$work/data" --name smoke --public --json |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["write_key"])')
/usr/bin/fieldpost serve --config /etc/fieldpost/fieldpost.conf --data "$work/data" \
  --listen "127.0.0.1:$port" 2>"$work/serve.log" &
server=$!
for _ in $(seq 100); do curl -s "http://127.0.0.1:$port/" >/dev/null && break; sleep 0.1; done
[ "$(curl -s "http://127.0.0.1:$port/update?api_key=$key&field1=21.5")" = "1" ] ||
  { cat "$work/serve.log"; fail "update through the installed binary"; }
[ "$(curl -s "http://127.0.0.1:$port/channels/1/fields/1/last.txt")" = "21.5" ] ||
  fail "read back through the installed binary"
kill -TERM "$server"
wait "$server" || fail "the installed server did not stop cleanly"
server=""
echo "deb_test: package built, lintian clean, installed, served, purged"
