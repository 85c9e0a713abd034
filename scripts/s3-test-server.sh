#!/usr/bin/env bash
# A one-node Ceph cluster (a monitor, one in-memory OSD and the RADOS Gateway) on 127.0.0.1, for
# tests of S3 remotes against a real engine with Object Lock. No manager daemon: S3 needs none, and
# it would add about 190 MiB and a slow exit (it only keeps statistics and optional modules).
#
#   scripts/s3-test-server.sh start   prints S3_ENDPOINT=, AWS_ACCESS_KEY_ID=, AWS_SECRET_ACCESS_KEY=,
#                                     S3_BUCKET= (a bucket created with Object Lock) and S3_STATE=
#   scripts/s3-test-server.sh stop    stops the daemons this script started (by their pids)
#
# State (configuration, keyring, logs, pids) lives in $CUSTOS_S3_STATE, else in a folder under the
# system's temporary folder; `stop` removes it. Exit status: 0 up (or stopped), 1 the cluster did not
# come up (the reason and the log to read on stderr), 2 bad usage or the Ceph programs are missing.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
state="${CUSTOS_S3_STATE:-${TMPDIR:-/tmp}/custos-s3-test}"
bucket="${S3_BUCKET:-custos-test}"

fail() { # reason [log]
  echo "s3-test-server: $1" >&2
  if [[ -n "${2:-}" && -f "$2" ]]; then
    echo "--- last lines of $2:" >&2
    tail -n 15 "$2" >&2
  fi
  exit "${3:-1}"
}

# Every pid this script started, one a line, so that stop ends exactly those and nothing by name.
# The OSD keeps its objects in memory only, so there is nothing to shut down cleanly: a daemon
# still there a second after TERM is killed (the gateway alone takes about 5 s to drain on TERM,
# and minutes when the monitor has already gone).
stop_cluster() {
  [[ -f "$state/pids" ]] || return 0
  local pid
  for pid in $(tac "$state/pids"); do kill -TERM "$pid" 2>/dev/null || true; done
  for _ in $(seq 1 10); do
    local alive=0
    for pid in $(cat "$state/pids"); do kill -0 "$pid" 2>/dev/null && alive=1; done
    [[ $alive == 0 ]] && break
    sleep 0.1
  done
  for pid in $(cat "$state/pids"); do kill -KILL "$pid" 2>/dev/null || true; done
  rm -f "$state/pids"
}

# A free port below the kernel's ephemeral range. A port from that range (listen on port 0) is
# free only until the daemon binds it seconds later: meanwhile the kernel can hand it to an
# outgoing connection, and a connection to a port nobody listens on yet can even be connected to
# itself (TCP self-connect): the bucket's creation then read its own request back as the answer
# ("Parse Error: Expected HTTP/"). Ceph's own daemons bind from 6800 up, so the range starts above.
free_port() {
  node -e '
    const net = require("net");
    const [low] = require("fs").readFileSync("/proc/sys/net/ipv4/ip_local_port_range", "utf8").trim().split(/\s+/).map(Number);
    const top = Math.min(low, 32768) - 1;
    const bottom = Math.max(10000, top - 15000);
    if (top - bottom < 1000) { console.error("no room below the ephemeral ports (ip_local_port_range starts at " + low + ")"); process.exit(1); }
    const attempt = (left) => {
      const port = bottom + Math.floor(Math.random() * (top - bottom));
      const server = net.createServer();
      server.once("error", () => (left > 0 ? attempt(left - 1) : process.exit(1)));
      server.listen(port, "127.0.0.1", () => { console.log(port); server.close(); });
    };
    attempt(100);
  '
}

# Runs a Ceph daemon detached (its own session, output to its log) and records its pid.
start_daemon() { # name command...
  local name="$1"
  shift
  setsid "$@" -f -c "$state/ceph.conf" >>"$state/log/$name.out" 2>&1 </dev/null &
  echo $! >>"$state/pids"
}

# Waits up to $1 tenths of a second for the command to succeed.
wait_for() { # tenths what log command...
  local tenths="$1" what="$2" log="$3"
  shift 3
  for _ in $(seq 1 "$tenths"); do
    if "$@" >/dev/null 2>&1; then return 0; fi
    sleep 0.1
  done
  stop_cluster
  fail "$what did not happen within $((tenths / 10)) s" "$log"
}

ceph_cli() { ceph -c "$state/ceph.conf" --connect-timeout 10 "$@"; }

osd_active() {
  ceph -c "$state/ceph.conf" --admin-daemon "$state/run/osd.0.asok" status 2>/dev/null | grep -q '"state": "active"'
}

start() {
  for program in ceph-mon ceph-osd radosgw radosgw-admin ceph ceph-authtool monmaptool; do
    command -v "$program" >/dev/null || fail "$program is missing: install the Debian packages ceph-mon ceph-osd radosgw" "" 2
  done
  if [[ -f "$state/pids" ]]; then
    fail "a cluster started from $state is still recorded; run '$0 stop' first" "" 2
  fi
  rm -rf "$state"
  mkdir -p "$state/log" "$state/run" "$state/mon.a" "$state/osd.0"
  : >"$state/pids"

  local fsid mon_port rgw_port access secret
  fsid="$(cat /proc/sys/kernel/random/uuid)"
  mon_port="$(free_port)"
  rgw_port="$(free_port)"
  while [ "$rgw_port" = "$mon_port" ]; do rgw_port="$(free_port)"; done
  access="CUSTOSTEST$(head -c 5 /dev/urandom | od -An -tx1 | tr -d ' \n' | tr a-f A-F)"
  secret="$(head -c 30 /dev/urandom | base64 | tr -d '/+=\n')"

  # Without the short paxos intervals every map change waits about a second (start takes 12-15 s);
  # memstore keeps the OSD in memory; one replica needs the "size one" allowance and a CRUSH rule
  # that chooses OSDs, not hosts.
  cat >"$state/ceph.conf" <<EOF
[global]
fsid = $fsid
mon host = [v2:127.0.0.1:$mon_port]
mon initial members = a
public addr = 127.0.0.1
ms bind msgr1 = false
ms bind msgr2 = true
auth cluster required = cephx
auth service required = cephx
auth client required = cephx
keyring = $state/keyring
run dir = $state/run
admin socket = $state/run/\$name.asok
log file = $state/log/\$name.log
pid file = $state/run/\$name.pid
crash dir = $state/crash
paxos propose interval = 0.01
paxos min wait = 0.001
mon allow pool size one = true
mon warn on pool no redundancy = false
mon data avail warn = 1
mon data avail crit = 0
osd objectstore = memstore
memstore device bytes = 2147483648
osd pool default size = 1
osd pool default min size = 1
osd crush chooseleaf type = 0
osd pool default pg num = 8
osd pool default pgp num = 8
osd pool default pg autoscale mode = off
osd data = $state/osd.\$id
mon data = $state/mon.\$id
[client.rgw]
rgw frontends = beast endpoint=127.0.0.1:$rgw_port
rgw data = $state/rgw
rgw dns name = 127.0.0.1
EOF

  # One keyring for every daemon and the admin, imported whole by the monitor's mkfs.
  local keyring="$state/keyring"
  ceph-authtool --create-keyring "$keyring" --gen-key -n mon. --cap mon 'allow *' >/dev/null
  ceph-authtool "$keyring" --gen-key -n client.admin --cap mon 'allow *' --cap osd 'allow *' \
    --cap mgr 'allow *' --cap mds 'allow *' >/dev/null
  ceph-authtool "$keyring" --gen-key -n osd.0 --cap mon 'allow profile osd' --cap osd 'allow *' \
    --cap mgr 'allow profile osd' >/dev/null
  ceph-authtool "$keyring" --gen-key -n client.rgw --cap mon 'allow rw' --cap osd 'allow rwx' \
    --cap mgr 'allow rw' >/dev/null

  monmaptool --create --fsid "$fsid" --addv a "[v2:127.0.0.1:$mon_port]" "$state/monmap" >/dev/null
  ceph-mon -c "$state/ceph.conf" --mkfs -i a --monmap "$state/monmap" --keyring "$keyring" \
    >"$state/log/mkfs.out" 2>&1 || fail "the monitor's store could not be made" "$state/log/mkfs.out"
  start_daemon mon.a ceph-mon -i a
  wait_for 150 "the monitor answering" "$state/log/mon.a.log" ceph_cli mon stat

  local osd_uuid
  osd_uuid="$(cat /proc/sys/kernel/random/uuid)"
  ceph_cli osd new "$osd_uuid" 0 >/dev/null 2>"$state/log/osd-new.out" ||
    { stop_cluster; fail "the OSD could not be registered" "$state/log/osd-new.out"; }
  ceph-osd -c "$state/ceph.conf" -i 0 --mkfs --osd-uuid "$osd_uuid" >"$state/log/osd-mkfs.out" 2>&1 ||
    { stop_cluster; fail "the OSD's store could not be made" "$state/log/osd-mkfs.out"; }
  start_daemon osd.0 ceph-osd -i 0
  wait_for 300 "the OSD becoming active" "$state/log/osd.0.log" osd_active

  # The user before the gateway: radosgw-admin makes the gateway's pools, which radosgw would
  # otherwise make itself while answering its first requests (random stalls of seconds).
  radosgw-admin -c "$state/ceph.conf" -n client.rgw user create --uid custos-test \
    --display-name "Custos tests" --access-key "$access" --secret-key "$secret" \
    >"$state/log/user-create.out" 2>&1 || { stop_cluster; fail "the S3 user could not be created" "$state/log/user-create.out"; }
  start_daemon rgw radosgw -n client.rgw

  local endpoint="http://127.0.0.1:$rgw_port"
  S3_ENDPOINT="$endpoint" AWS_ACCESS_KEY_ID="$access" AWS_SECRET_ACCESS_KEY="$secret" \
    node "$here/s3-test-bucket.mjs" "$bucket" >"$state/log/bucket.out" 2>&1 ||
    { stop_cluster; fail "the gateway did not answer or refused the Object Lock bucket" "$state/log/bucket.out"; }

  cat <<EOF | tee "$state/env"
S3_ENDPOINT=$endpoint
AWS_ACCESS_KEY_ID=$access
AWS_SECRET_ACCESS_KEY=$secret
S3_BUCKET=$bucket
S3_STATE=$state
EOF
}

case "${1:-}" in
start) start ;;
stop)
  stop_cluster
  rm -rf "$state"
  ;;
*) fail "usage: $0 start|stop" "" 2 ;;
esac
