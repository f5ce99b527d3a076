#!/usr/bin/env bash
# The self-contained binary: checks that build/fieldpost-static needs none
# of LMDB, libfcgi, libmicrohttpd or the C++ runtime, then runs it inside a
# root that holds nothing but the binary and the libraries it names (glibc
# and GnuTLS with theirs), and serves a write and a read from there. A
# Debian root (debootstrap) would prove no more: a library the binary
# needs and the root lacks fails here as it would there. Needs root.
set -euo pipefail
cd "$(dirname "$0")/../.."

source tests/package/serve_port.sh
fail() { echo "static_test: $*" >&2; exit 1; }
[ "$(id -u)" -eq 0 ] || fail "chroot needs root"

# The binary comes from the test build (fieldpost_static, linked from the
# same objects as build/fieldpost); docs/deploy/static-binary.md's
# FIELDPOST_STATIC build links fieldpost itself the same way.
binary=${STATIC_BINARY:-build/fieldpost-static}
build=${STATIC_BUILD_DIR:-build/static}
[ -x "$binary" ] || fail "$binary is not built (cmake --build build --target fieldpost_static)"
mkdir -p "$build"
if ldd "$binary" | grep -E 'liblmdb|libfcgi|libmicrohttpd|libstdc\+\+|libgcc_s|libdate'; then
  fail "the binary still needs the libraries above"
fi

root=$build/minimal-root
rm -rf "$root"
mkdir -p "$root/usr/local/bin" "$root/srv/fieldpost"
for lib in $(ldd "$binary" | grep -o '/[^ ]*'); do
  mkdir -p "$root$(dirname "$lib")"
  cp -L "$lib" "$root$lib"
done
for lib in liblmdb libfcgi libmicrohttpd libstdc++ libgcc_s libdate-tz; do
  if find "$root" -name "$lib*.so*" | grep -q .; then
    fail "the test root has $lib, so it proves nothing"
  fi
done
cp "$binary" "$root/usr/local/bin/fieldpost"
in_root() { chroot "$root" /usr/local/bin/fieldpost "$@"; }
in_root --version | grep -q '^fieldpost ' || fail "--version in the root"
key=$(in_root channel create --data /srv/fieldpost --name static --public --json |
  sed -n 's/.*"write_key":"\([A-Z0-9]*\)".*/\1/p')
[ -n "$key" ] || fail "channel create in the root"
# Port 0: the kernel picks a free one, which the server logs.
chroot "$root" /usr/local/bin/fieldpost serve --data /srv/fieldpost --listen 127.0.0.1:0 \
  2>"$build/static-serve.log" &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
port=$(serve_port "$build/static-serve.log")
[ -n "$port" ] || { cat "$build/static-serve.log"; fail "the server in the root did not start"; }
[ "$(curl -s "http://127.0.0.1:$port/update?api_key=$key&field1=7")" = "1" ] ||
  { cat "$build/static-serve.log"; fail "update in the root"; }
[ "$(curl -s "http://127.0.0.1:$port/channels/1/fields/1/last.txt")" = "7" ] || fail "read in the root"
kill -TERM "$server"
wait "$server" || fail "the server in the root did not stop cleanly"
trap - EXIT
echo "static_test: self-contained binary served from a root of the binary and its libraries alone"
