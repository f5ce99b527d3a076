#!/usr/bin/env bash
# Builds the Debian packages (fieldpost and its nginx and Apache modules),
# checks them with lintian (no errors), installs them, smoke-tests the
# installed binary and the nginx module, and purges them again. Needs root.
set -euo pipefail
cd "$(dirname "$0")/../.."

fail() { echo "deb_test: $*" >&2; exit 1; }
[ "$(id -u)" -eq 0 ] || fail "installing the package needs root"
for tool in dpkg-buildpackage lintian curl python3; do
  command -v "$tool" >/dev/null || fail "$tool is not installed (scripts/install-deps test)"
done

work=$(mktemp -d)
server=""
nginx_pid=""
cleanup() {
  [ -n "$server" ] && kill "$server" 2>/dev/null || true
  [ -n "$nginx_pid" ] && kill -QUIT "$nginx_pid" 2>/dev/null || true
  dpkg --purge libnginx-mod-http-fieldpost libapache2-mod-fieldpost fieldpost >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

packaging/build-deb "$work/out" >"$work/build.log" 2>&1 || { tail -40 "$work/build.log"; fail "build"; }
deb=$(ls "$work"/out/fieldpost_*_amd64.deb)
nginx_deb=$(ls "$work"/out/libnginx-mod-http-fieldpost_*_amd64.deb)
apache_deb=$(ls "$work"/out/libapache2-mod-fieldpost_*_amd64.deb)
lintian --fail-on error "$deb" "$nginx_deb" "$apache_deb" >"$work/lintian.log" ||
  { cat "$work/lintian.log"; fail "lintian reported errors"; }
! grep -E 'no-manual-page|spare-manual-page|manpage' "$work/lintian.log" ||
  fail "lintian has remarks on the manual pages"

DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$deb" "$nginx_deb" "$apache_deb" \
  >"$work/install.log" 2>&1 ||
  { cat "$work/install.log"; fail "install"; }
getent passwd fieldpost >/dev/null || fail "the fieldpost user was not created"
[ "$(stat -c %U:%a /var/lib/fieldpost 2>/dev/null)" = "fieldpost:750" ] ||
  fail "the state directory /var/lib/fieldpost was not created for the fieldpost user"
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
# The module packages enabled themselves the Debian way, and the web
# servers accept them.
[ -e /usr/lib/nginx/modules/ngx_http_fieldpost_module.so ] || fail "the nginx module is missing"
ls /etc/nginx/modules-enabled/ | grep -q 'mod-http-fieldpost.conf$' ||
  fail "the nginx module was not enabled in /etc/nginx/modules-enabled"
nginx -t -q || fail "nginx -t fails with the module installed"
[ -e /etc/apache2/mods-enabled/fieldpost.load ] || fail "a2enmod fieldpost did not run"
apache2ctl -t >/dev/null 2>&1 || fail "apache2ctl -t fails with the module installed"

# A write and a read through the installed nginx module, loaded the way
# the package enabled it.
port=$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')
chown -R www-data: "$work/data"
chmod 755 "$work"
cat >"$work/nginx.conf" <<EOF
include /etc/nginx/modules-enabled/*.conf;
user www-data;
pid $work/nginx.pid;
error_log $work/nginx-error.log;
events {}
http {
  access_log off;
  client_body_temp_path $work/body;
  fieldpost_data $work/data;
  server { listen 127.0.0.1:$port; location /iot/ { fieldpost; } }
}
EOF
nginx -c "$work/nginx.conf" || fail "nginx with the installed module did not start"
for _ in $(seq 50); do [ -s "$work/nginx.pid" ] && break; sleep 0.1; done
nginx_pid=$(cat "$work/nginx.pid")
[ "$(curl -s "http://127.0.0.1:$port/iot/update?api_key=$key&field1=22.5")" = "2" ] ||
  { cat "$work/nginx-error.log"; fail "update through the installed nginx module"; }
[ "$(curl -s "http://127.0.0.1:$port/iot/channels/1/fields/1/last.txt")" = "22.5" ] ||
  fail "read back through the installed nginx module"
kill -QUIT "$nginx_pid"
for _ in $(seq 100); do kill -0 "$nginx_pid" 2>/dev/null || break; sleep 0.1; done
nginx_pid=""
echo "deb_test: packages built, lintian clean, installed, served (binary and nginx module), purged"
