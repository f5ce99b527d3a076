#!/usr/bin/env bash
# Builds the Debian packages (fieldpost and its nginx and Apache modules),
# checks them with lintian (no errors), installs them, smoke-tests the
# installed binary and the nginx module, and purges them again. Needs root.
set -euo pipefail
cd "$(dirname "$0")/../.."

source tests/package/serve_port.sh
fail() { echo "deb_test: $*" >&2; exit 1; }
[ "$(id -u)" -eq 0 ] || fail "installing the package needs root"
for tool in dpkg-buildpackage lintian curl python3; do
  command -v "$tool" >/dev/null || fail "$tool is not installed (scripts/install-deps test)"
done

work=$(mktemp -d)
server=""
nginx_pid=""
# Purging keeps the data (as Debian does): the package's directories of an
# earlier run are set aside, so this run starts as a first install does,
# and put back afterwards.
kept=(/var/lib/fieldpost /var/backups/fieldpost)
cleanup() {
  [ -n "$server" ] && kill "$server" 2>/dev/null || true
  [ -n "$nginx_pid" ] && kill -QUIT "$nginx_pid" 2>/dev/null || true
  dpkg --purge libnginx-mod-http-fieldpost libapache2-mod-fieldpost fieldpost >/dev/null 2>&1 || true
  for dir in "${kept[@]}"; do
    rm -rf "$dir"
    [ -e "$work/kept$dir" ] && mv "$work/kept$dir" "$dir"
  done
  rm -rf "$work"
}
trap cleanup EXIT
for dir in "${kept[@]}"; do
  if [ -e "$dir" ]; then
    mkdir -p "$work/kept$(dirname "$dir")"
    mv "$dir" "$work/kept$dir"
  fi
done

packaging/build-deb "$work/out" >"$work/build.log" 2>&1 || { tail -40 "$work/build.log"; fail "build"; }
deb=$(ls "$work"/out/fieldpost_*_amd64.deb)
nginx_deb=$(ls "$work"/out/libnginx-mod-http-fieldpost_*_amd64.deb)
apache_deb=$(ls "$work"/out/libapache2-mod-fieldpost_*_amd64.deb)
lintian --fail-on error "$deb" "$nginx_deb" "$apache_deb" >"$work/lintian.log" ||
  { cat "$work/lintian.log"; fail "lintian reported errors"; }
! grep -E 'no-manual-page|spare-manual-page|manpage' "$work/lintian.log" ||
  fail "lintian has remarks on the manual pages"

# The module steps of docs/deploy/debian-package.md, as the page gives them
# (the indented block after its marker): a page that drifts fails here.
# systemctl is only recorded: the test starts its own nginx below.
steps=$(awk '/deb_test.sh runs the block below/ {on = 1; next}
  on && /^    / {print substr($0, 5); started = 1; next}
  on && started && NF {exit}' docs/deploy/debian-package.md)
[ -n "$steps" ] || fail "no module steps found in docs/deploy/debian-package.md"
(
  cd "$work/out"
  systemctl() { echo "systemctl $*" >>"$work/systemctl.log"; }
  export DEBIAN_FRONTEND=noninteractive
  apt() { command apt-get -y -q "$@"; }
  set -e
  eval "$steps"
) >"$work/install.log" 2>&1 || { cat "$work/install.log"; fail "the documented module steps"; }
grep -q '^systemctl restart nginx' "$work/systemctl.log" || fail "the steps no longer restart nginx"
DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$apache_deb" >>"$work/install.log" 2>&1 ||
  { cat "$work/install.log"; fail "install the Apache module"; }
getent passwd fieldpost >/dev/null || fail "the fieldpost user was not created"
[ "$(stat -c %U:%G:%a /var/lib/fieldpost 2>/dev/null)" = "fieldpost:fieldpost:3770" ] ||
  fail "the state directory /var/lib/fieldpost is not fieldpost:fieldpost 3770"
id -nG www-data | grep -qw fieldpost || fail "www-data is not in the fieldpost group"
# The documented steps ran as root: the files are the service's, and the
# group (every server user) may write them.
for file in data.mdb lock.mdb; do
  [ "$(stat -c %U:%G:%a /var/lib/fieldpost/$file)" = "fieldpost:fieldpost:660" ] ||
    fail "/var/lib/fieldpost/$file is $(stat -c %U:%G:%a /var/lib/fieldpost/$file)"
done
for file in /usr/bin/fieldpost /etc/fieldpost/fieldpost.conf /lib/systemd/system/fieldpost.service \
  /lib/systemd/system/fieldpost-fcgi.socket /usr/share/fieldpost/nginx/fieldpost.conf \
  /usr/share/fieldpost/nginx/fieldpost-upstream.conf \
  /usr/share/fieldpost/apache/fieldpost-proxy-fcgi.conf \
  /lib/systemd/system/fieldpost-backup.service /lib/systemd/system/fieldpost-backup.timer \
  /etc/logrotate.d/fieldpost /usr/share/man/man1/fieldpost.1.gz \
  /usr/share/man/man5/fieldpost.conf.5.gz /usr/share/doc/fieldpost/docs/operations.md; do
  [ -e "$file" ] || fail "$file is missing after install"
done
[ "$(stat -c %U:%a /var/backups/fieldpost 2>/dev/null)" = "fieldpost:750" ] ||
  fail "the backup directory /var/backups/fieldpost was not created for the fieldpost user"
/usr/bin/fieldpost --version | grep -q '^fieldpost ' || fail "--version"
# The nightly backup's command, as its unit runs it.
runuser -u fieldpost -- /usr/bin/fieldpost channel create --config /etc/fieldpost/fieldpost.conf \
  --name backed-up >/dev/null || fail "channel create as the fieldpost user"
runuser -u fieldpost -- /usr/bin/fieldpost backup --config /etc/fieldpost/fieldpost.conf \
  --to /var/backups/fieldpost/fieldpost.mdb 2>"$work/backup.log" ||
  { cat "$work/backup.log"; fail "the packaged backup command"; }
grep -Eq 'backed up [1-9][0-9]* channels?,' "$work/backup.log" || { cat "$work/backup.log"; fail "the backup's report"; }
/usr/bin/fieldpost check-config --config /etc/fieldpost/fieldpost.conf >/dev/null ||
  fail "the packaged configuration does not check"

# The installed binary serves a write and a read with the packaged config.
mkdir -p "$work/data"
key=$(/usr/bin/fieldpost channel create --data "$work/data" --name smoke --public --json |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["write_key"])')
# Port 0: the kernel picks a free one, which the server logs.
/usr/bin/fieldpost serve --config /etc/fieldpost/fieldpost.conf --data "$work/data" \
  --listen 127.0.0.1:0 2>"$work/serve.log" &
server=$!
port=$(serve_port "$work/serve.log")
[ -n "$port" ] || { cat "$work/serve.log"; fail "the installed server did not start"; }
[ "$(curl -s "http://127.0.0.1:$port/update?api_key=$key&field1=21.5")" = "1" ] ||
  { cat "$work/serve.log"; fail "update through the installed binary"; }
[ "$(curl -s "http://127.0.0.1:$port/channels/1/fields/1/last.txt")" = "21.5" ] ||
  fail "read back through the installed binary"
kill -TERM "$server"
wait "$server" || fail "the installed server did not stop cleanly"
server=""
# The module packages enabled themselves the Debian way, and the web
# servers accept them.
[ -e /usr/lib/nginx/modules/ngx_http_fieldpost_module.so ] || fail "the nginx module is missing"
ls /etc/nginx/modules-enabled/ | grep -q 'mod-http-fieldpost.conf$' ||
  fail "the nginx module was not enabled in /etc/nginx/modules-enabled"
nginx -t -q || fail "nginx -t fails with the module installed"
[ -e /etc/apache2/mods-enabled/fieldpost.load ] || fail "a2enmod fieldpost did not run"
apache2ctl -t >/dev/null 2>&1 || fail "apache2ctl -t fails with the module installed"

# A write, a read and /metrics through the installed nginx module, loaded
# the way the package enabled it, its workers www-data, on the packaged
# directory the documented steps set up.
start_nginx() {
  nginx -c "$work/nginx.conf" || fail "nginx with the installed module did not start"
  for _ in $(seq 50); do [ -s "$work/nginx.pid" ] && break; sleep 0.1; done
  nginx_pid=$(cat "$work/nginx.pid")
}
stop_nginx() {
  kill -QUIT "$nginx_pid"
  for _ in $(seq 100); do kill -0 "$nginx_pid" 2>/dev/null || break; sleep 0.1; done
  rm -f "$work/nginx.pid"
  nginx_pid=""
}
# nginx needs its port in its configuration: one free a moment ago (this
# test runs alone, RUN_SERIAL).
port=$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')
chmod 755 "$work"
cat >"$work/nginx.conf" <<EOF
include /etc/nginx/modules-enabled/*.conf;
user www-data;
worker_processes 2;
pid $work/nginx.pid;
error_log $work/nginx-error.log info;
events {}
http {
  access_log off;
  client_body_temp_path $work/body;
  fieldpost_data /var/lib/fieldpost;
  fieldpost_metrics on;
  server { listen 127.0.0.1:$port; location /iot/ { fieldpost; } }
}
EOF
station=$(/usr/bin/fieldpost channel list --data /var/lib/fieldpost --json |
  python3 -c 'import json,sys; print([c for c in json.load(sys.stdin)["channels"] if c["name"] == "Weather station"][0]["id"])')
keys=$(/usr/bin/fieldpost channel keys "$station" --data /var/lib/fieldpost --json)
station_key=$(python3 -c 'import json,sys; print(json.load(sys.stdin)["write_key"])' <<<"$keys")
read_key=$(python3 -c 'import json,sys; print(json.load(sys.stdin)["read_key"])' <<<"$keys")
start_nginx
[ "$(curl -s "http://127.0.0.1:$port/iot/update?api_key=$station_key&field1=22.5")" = "1" ] ||
  { cat "$work/nginx-error.log"; fail "update through the installed nginx module"; }
[ "$(curl -s "http://127.0.0.1:$port/iot/channels/$station/fields/1/last.txt?api_key=$read_key")" = "22.5" ] ||
  fail "read back through the installed nginx module"
curl -s "http://127.0.0.1:$port/iot/metrics" |
  grep -q '^fieldpost_requests_total{route="/update",status="200"} 1$' ||
  fail "/metrics through the installed nginx module"
! grep -E 'counts its metrics alone|Permission denied' "$work/nginx-error.log" ||
  fail "the workers could not use a file of the data directory"
stop_nginx
# A restore as root (no server running), then the module writes again.
/usr/bin/fieldpost restore --from /var/backups/fieldpost/fieldpost.mdb --data /var/lib/fieldpost \
  --force 2>"$work/restore.log" || { cat "$work/restore.log"; fail "restore"; }
[ "$(stat -c %U:%G:%a /var/lib/fieldpost/data.mdb)" = "fieldpost:fieldpost:660" ] ||
  fail "the restored data.mdb is $(stat -c %U:%G:%a /var/lib/fieldpost/data.mdb)"
start_nginx
[ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/iot/update?api_key=$station_key&field1=23")" = 200 ] ||
  { cat "$work/nginx-error.log"; fail "a write through the module after the restore"; }
stop_nginx
echo "deb_test: packages built, lintian clean, the documented steps run, served (binary and nginx module), restored, purged"
