#!/usr/bin/env bash
# A three-node gateway cluster and HAProxy in front of it, on this one machine (loopback ports).
#
#   deploy/local-cluster.sh [start] [--proxy | --no-proxy]   build Release once, start 3 nodes and HAProxy,
#                                                            print where to send mail
#   deploy/local-cluster.sh restart N                        rolling-restart step for node N (1..3), as an operator
#                                                            does it: take it out of HAProxy, let its sessions end,
#                                                            `gateway drain`, start it again, wait for it to listen
#                                                            and rejoin the cluster, put it back in HAProxy
#   deploy/local-cluster.sh roll                             restart 1, 2 and 3 in turn
#   deploy/local-cluster.sh status                           nodes, their pids, HAProxy's view of them
#   deploy/local-cluster.sh stop                             drain and stop every node, stop HAProxy
#
# (Not GATEWAY_*: that prefix is the gateway's own configuration from the environment, and it refuses unknown keys.)
# State (configs, pid files, logs, spools, Maildirs, HAProxy's config and admin socket) is under
# $LOCAL_CLUSTER_DIR, default ${XDG_RUNTIME_DIR:-/tmp}/gateway-cluster. HAProxy listens on
# 127.0.0.1:$LOCAL_CLUSTER_PORT (default 2525, or a free port when 2525 is taken).
#
# PROXY protocol: with --proxy (the default when the built gateway knows Smtp:ProxyProtocolListen) HAProxy sends a
# PROXY v2 header to each node's proxy listener, so each node sees the client's own address (access map, per-client
# limits, Received). With --no-proxy every client looks like 127.0.0.1, so the per-client limit is raised out of the
# way (it would otherwise cap the whole cluster at 50 sessions a node).
#
# LOCAL_CLUSTER_BUILD_LOCK=FILE runs the build under flock(1) on FILE.
# Needs: the .NET SDK, python3 (free ports, HAProxy's admin socket) and Debian's haproxy (apt-get install haproxy).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
state=${LOCAL_CLUSTER_DIR:-${XDG_RUNTIME_DIR:-/tmp}/gateway-cluster}
gateway="$root/src/Gateway/bin/Release/net10.0/gateway"
nodes=(1 2 3)
drain_timeout=30

die() { echo "local-cluster: $*" >&2; exit 1; }
say() { echo "local-cluster: $*" >&2; }

# n free TCP ports on 127.0.0.1, from the kernel (bound to port 0, then released).
free_ports() {
  python3 - "$1" <<'EOF'
import socket, sys
held = []
for _ in range(int(sys.argv[1])):
    s = socket.socket(); s.bind(("127.0.0.1", 0)); held.append(s)
print(" ".join(str(s.getsockname()[1]) for s in held))
EOF
}

port_free() { python3 -c 'import socket,sys; s=socket.socket(); s.bind(("127.0.0.1", int(sys.argv[1])))' "$1" 2>/dev/null; }

# One command to HAProxy's admin socket (the runtime API); prints the answer.
haproxy_cmd() {
  python3 - "$state/haproxy.sock" "$1" <<'EOF'
import socket, sys
s = socket.socket(socket.AF_UNIX); s.connect(sys.argv[1]); s.sendall((sys.argv[2] + "\n").encode())
out = b""
while chunk := s.recv(65536):
    out += chunk
sys.stdout.write(out.decode())
EOF
}

# HAProxy's current sessions to one server (the stats' scur), or 0 when it is not known.
server_sessions() {
  haproxy_cmd "show stat" | awk -F, -v s="gw$1" '$1 == "gateways" && $2 == s { print $5; found = 1 } END { if (!found) print 0 }'
}

# Waits up to $2 seconds for a condition (a command line, run with eval); fails with $3.
wait_for() {
  local cond=$1 deadline=$((SECONDS + $2)) what=$3
  until eval "$cond"; do
    [ $SECONDS -lt $deadline ] || die "timed out after $2 s waiting for $what"
    sleep 0.1
  done
}

# HAProxy's state of one server: UP, DOWN, DRAIN, MAINT …
server_status() {
  haproxy_cmd "show stat" | awk -F, -v s="gw$1" '$1 == "gateways" && $2 == s { print $18 }'
}

all_up() { [ "$(server_status 1)$(server_status 2)$(server_status 3)" = UPUPUP ]; }

node_pid() { cat "$state/node$1.pid" 2>/dev/null || true; }
node_alive() { local p; p=$(node_pid "$1"); [ -n "$p" ] && kill -0 "$p" 2>/dev/null; }

# Loads the ports chosen at start.
load_ports() {
  [ -f "$state/ports" ] || die "no cluster in $state (run: $0 start)"
  # shellcheck disable=SC1091
  . "$state/ports"
}

write_node_config() {
  local n=$1 smtp=$2 proxy=$3 cluster=$4 seeds=$5 mode=$6 http=$7
  local listen_proxy="" limit=50
  if [ "$mode" = proxy ]; then
    # Only HAProxy (127.0.0.1) may say who the client is; a PROXY header from anyone else is refused.
    listen_proxy="\"ProxyProtocolListen\": [ \"127.0.0.1:$proxy\" ], \"ProxyTrustedAddresses\": [ \"127.0.0.1\" ],"
  else
    # Without PROXY every session comes from HAProxy's 127.0.0.1: a per-client limit would be a per-node limit.
    limit=10000
  fi
  cat >"$state/node$n.json" <<EOF
{
  "Smtp": {
    "Listen": [ "127.0.0.1:$smtp" ],
    $listen_proxy
    "Hostname": "gw$n.local-cluster.test",
    "LocalDomains": [ "localhost" ],
    "MaxConnectionsPerClient": $limit,
    "DrainTimeout": $drain_timeout
  },
  "Queue": { "Directory": "$state/node$n/spool" },
  "Delivery": { "Maildir": "$state/node$n/mail" },
  "Tls": { "SessionTicketKeyFile": "$state/ticket.key" },
  "Cluster": { "Hostname": "127.0.0.1", "Port": $cluster, "SeedNodes": [ $seeds ] },
  "Http": { "Listen": "127.0.0.1:$http" },
  "Logging": { "LogLevel": 9 }
}
EOF
}

write_haproxy_config() {
  local mode=$1 servers="" n port extra
  for n in "${nodes[@]}"; do
    if [ "$mode" = proxy ]; then
      port=$(eval echo "\$proxy$n")
      extra="send-proxy-v2 check-send-proxy"
    else
      port=$(eval echo "\$smtp$n")
      extra=""
    fi
    servers+="    server gw$n 127.0.0.1:$port check inter 1s fastinter 250ms downinter 1s fall 2 rise 2 $extra"$'\n'
  done
  cat >"$state/haproxy.cfg" <<EOF
# Written by deploy/local-cluster.sh; deploy/haproxy/haproxy.cfg is the same for the containers.
global
    # Two descriptors per session; 4096 sessions fit the usual 20,000-descriptor hard limit of a shell.
    maxconn 4096
    # The runtime API: 'set server gateways/gw1 state drain' is how a node leaves the rotation before it stops.
    stats socket $state/haproxy.sock mode 600 level admin
    log stderr format short local0 notice

defaults
    mode tcp
    log global
    option tcplog
    timeout connect 5s
    # RFC 5321 §4.5.3.2.7: the server waits 5 minutes for a command; the client side the same.
    timeout client 310s
    timeout server 310s
    # A node that refuses or resets the connection (stopped, crashed) costs a retry on another node, not the client.
    retries 3
    option redispatch

frontend smtp
    bind 127.0.0.1:$frontend
    default_backend gateways

backend gateways
    # SMTP sessions differ in length (one message or fifty): the node with the fewest open sessions gets the next.
    balance leastconn
    # The check reads the greeting and says EHLO: a draining node greets 421 4.3.2 and is taken out within
    # about 2 x fastinter, the stop that nobody announced (SIGTERM from systemd or Kubernetes) included.
    option smtpchk EHLO haproxy.local-cluster.test
$servers
EOF
}

start_node() {
  local n=$1
  node_alive "$n" && die "node $n is already running (pid $(node_pid "$n"))"
  mkdir -p "$state/node$n"
  # The previous run's log is kept in nodeN.old.log; nodeN.log is this run's, which the waits below read.
  [ -f "$state/node$n.log" ] && cat "$state/node$n.log" >>"$state/node$n.old.log"
  : >"$state/node$n.log"
  setsid "$gateway" run --config "$state/node$n.json" >>"$state/node$n.log" 2>&1 </dev/null &
  echo $! >"$state/node$n.pid"
  wait_for "grep -q 'gateway: listening on' '$state/node$n.log' || ! node_alive $n" 60 "node $n to listen"
  node_alive "$n" || { cat "$state/node$n.log" >&2; die "node $n did not start"; }
}

# At the first start node 1 forms the cluster (it is the first seed and no other answers); every other start, node
# 1's restart included, must be welcomed by a member (Akka.Cluster logs both). A restarted node 1 that formed a
# cluster of its own would be an island: this waits for the welcome, so the roll stops there instead.
wait_joined() {
  local n=$1 forming=${2:-}
  if [ -n "$forming" ]; then
    wait_for "grep -q 'is JOINING itself' '$state/node$n.log'" 60 "node $n to form the cluster"
  else
    wait_for "grep -q 'Welcome from' '$state/node$n.log'" 60 "node $n to join the cluster"
  fi
}

stop_node() {
  local n=$1 pid
  node_alive "$n" || { rm -f "$state/node$n.pid"; return 0; }
  pid=$(node_pid "$n")
  # The control socket's drain, as SIGTERM would: transactions in flight finish, then the spool closes.
  "$gateway" drain --config "$state/node$n.json" >/dev/null || kill -TERM "$pid"
  wait_for "! kill -0 $pid 2>/dev/null" $((drain_timeout + 30)) "node $n to drain and exit"
  rm -f "$state/node$n.pid"
}

cmd_start() {
  local mode=auto
  for arg in "$@"; do
    case $arg in
      --proxy) mode=proxy ;;
      --no-proxy) mode=plain ;;
      *) die "unknown switch $arg (use --proxy or --no-proxy)" ;;
    esac
  done
  command -v haproxy >/dev/null || die "haproxy is not installed (apt-get install haproxy)"
  if [ -f "$state/ports" ] && { node_alive 1 || node_alive 2 || node_alive 3; }; then
    die "a cluster is already running in $state ($0 stop first)"
  fi
  # The previous run's state goes, but only from a directory this script made (or an empty one).
  if [ -d "$state" ] && [ -n "$(ls -A "$state")" ] && [ ! -f "$state/.local-cluster" ]; then
    die "$state is not empty and not a local-cluster directory; set LOCAL_CLUSTER_DIR to another"
  fi
  rm -rf "$state"
  mkdir -p "$state"
  chmod 0700 "$state"
  touch "$state/.local-cluster"

  say "building Release"
  local build=(dotnet build -c Release -v q --nologo src/Gateway/Gateway.csproj)
  # Machines that share their cores between builds serialise them on a lock file.
  [ -n "${LOCAL_CLUSTER_BUILD_LOCK:-}" ] && build=(flock "$LOCAL_CLUSTER_BUILD_LOCK" "${build[@]}")
  (cd "$root" && "${build[@]}" >"$state/build.log" 2>&1) || { cat "$state/build.log" >&2; die "build failed"; }
  if [ "$mode" = auto ]; then
    # The option's name is in the assembly's metadata when the gateway has PROXY listeners.
    if grep -q ProxyProtocolListen "$root/src/Gateway/bin/Release/net10.0/gateway.dll"; then mode=proxy; else mode=plain; fi
  fi

  local ports frontend=${LOCAL_CLUSTER_PORT:-2525}
  port_free "$frontend" || frontend=$(free_ports 1)
  read -r smtp1 smtp2 smtp3 proxy1 proxy2 proxy3 cluster1 cluster2 cluster3 http1 http2 http3 <<<"$(free_ports 12)"
  cat >"$state/ports" <<EOF
mode=$mode frontend=$frontend
smtp1=$smtp1 smtp2=$smtp2 smtp3=$smtp3
proxy1=$proxy1 proxy2=$proxy2 proxy3=$proxy3
cluster1=$cluster1 cluster2=$cluster2 cluster3=$cluster3
http1=$http1 http2=$http2 http3=$http3
EOF
  load_ports
  # Every node lists all three as seeds, in the same order. With node 1 alone as the seed, a restarted node 1
  # would find no other seed to ask and form a second cluster; with all three, it joins whichever answers.
  local seeds="\"akka.tcp://gateway@127.0.0.1:$cluster1\", \"akka.tcp://gateway@127.0.0.1:$cluster2\", \"akka.tcp://gateway@127.0.0.1:$cluster3\""
  # One ticket secret for the three nodes: a TLS 1.2 client resumes on whichever node HAProxy picks.
  [ -s "$state/ticket.key" ] || (umask 077 && openssl rand -base64 48 >"$state/ticket.key")
  for n in "${nodes[@]}"; do
    write_node_config "$n" "$(eval echo "\$smtp$n")" "$(eval echo "\$proxy$n")" "$(eval echo "\$cluster$n")" "$seeds" "$mode" "$(eval echo "\$http$n")"
  done
  for n in "${nodes[@]}"; do
    start_node "$n"
    wait_joined "$n" "$([ "$n" = 1 ] && echo forming)"
    say "node $n up: smtp 127.0.0.1:$(eval echo "\$smtp$n"), cluster 127.0.0.1:$(eval echo "\$cluster$n"), metrics http://127.0.0.1:$(eval echo "\$http$n")/metrics, pid $(node_pid "$n")"
  done

  write_haproxy_config "$mode"
  haproxy -c -q -f "$state/haproxy.cfg" || die "haproxy refuses $state/haproxy.cfg"
  haproxy -D -p "$state/haproxy.pid" -f "$state/haproxy.cfg" 2>>"$state/haproxy.log" || die "haproxy did not start: $(tail -1 "$state/haproxy.log")"
  wait_for all_up 30 "HAProxy to see 3 nodes up"
  echo "127.0.0.1:$frontend" >"$state/smtp-address"
  cat <<EOF
local-cluster: 3 nodes and HAProxy are running ($( [ "$mode" = proxy ] && echo "PROXY protocol v2 to the nodes" || echo "no PROXY protocol: every client looks like 127.0.0.1" )).
  send mail to:   127.0.0.1:$frontend   e.g. swaks --server 127.0.0.1:$frontend --tls --to bob@localhost
  nodes:          127.0.0.1:$smtp1, 127.0.0.1:$smtp2, 127.0.0.1:$smtp3 (directly, without HAProxy)
  status page:    http://127.0.0.1:$http1/   (any node's shows all three; also :$http2/ and :$http3/)
  in a terminal:  $gateway status --node 127.0.0.1:$http1 --watch
  Maildirs:       $state/node{1,2,3}/mail
  logs:           $state/node{1,2,3}.log, $state/haproxy.log
  HAProxy admin:  $state/haproxy.sock (e.g. 'show stat', 'set server gateways/gw2 state drain')
  restart a node: $0 restart 2     all in turn: $0 roll
  stop:           $0 stop
EOF
}

cmd_restart() {
  local n=${1:-} start=$SECONDS out drained listening
  [[ "$n" =~ ^[123]$ ]] || die "restart needs a node number, 1, 2 or 3"
  load_ports
  # 1. No new sessions for this node; the ones it has carry on (HAProxy's DRAIN state).
  haproxy_cmd "set server gateways/gw$n state drain" >/dev/null
  # 2. Its sessions end by themselves (a session is a few messages long); what is left after the drain timeout
  #    is the node's own drain to settle: 250 for the transaction in flight, 421 4.3.2 for the next command.
  local deadline=$((SECONDS + drain_timeout))
  until [ "$(server_sessions "$n")" = 0 ] || [ $SECONDS -ge $deadline ]; do
    sleep 0.1
  done
  out=$SECONDS
  # 3. The node drains and exits; the mail it accepted stays in its spool and goes out after the restart.
  stop_node "$n"
  drained=$SECONDS
  # 4. Start it again; back in rotation once it listens and is a cluster member again.
  start_node "$n"
  listening=$SECONDS
  wait_joined "$n"
  haproxy_cmd "set server gateways/gw$n state ready" >/dev/null
  wait_for "[ \"\$(server_status $n)\" = UP ]" 30 "HAProxy to see node $n up"
  say "node $n restarted (pid $(node_pid "$n")): sessions ended after $((out - start)) s, drained and exited after" \
    "$((drained - out)) s, listening after $((listening - drained)) s, in the cluster and back in HAProxy after $((SECONDS - listening)) s"
}

cmd_status() {
  load_ports
  for n in "${nodes[@]}"; do
    if node_alive "$n"; then echo "node $n: pid $(node_pid "$n"), smtp 127.0.0.1:$(eval echo "\$smtp$n")"; else echo "node $n: stopped"; fi
  done
  if [ -S "$state/haproxy.sock" ]; then
    echo "HAProxy on 127.0.0.1:$frontend ($mode):"
    haproxy_cmd "show stat" | awk -F, '$1 == "gateways" && $2 ~ /^gw/ { printf "  %s %s, %s sessions now, %s in all\n", $2, $18, $5, $8 }'
  fi
}

cmd_stop() {
  [ -d "$state" ] || { say "nothing running in $state"; return 0; }
  for n in "${nodes[@]}"; do
    stop_node "$n" &
  done
  wait
  if [ -f "$state/haproxy.pid" ]; then
    kill "$(cat "$state/haproxy.pid")" 2>/dev/null || true
    rm -f "$state/haproxy.pid"
  fi
  say "stopped; state kept in $state"
}

case ${1:-start} in
  start) shift || true; cmd_start "$@" ;;
  --proxy | --no-proxy) cmd_start "$@" ;;
  restart) cmd_restart "${2:-}" ;;
  roll) for n in "${nodes[@]}"; do cmd_restart "$n"; done ;;
  status) cmd_status ;;
  stop) cmd_stop ;;
  *) die "usage: $0 [start [--proxy|--no-proxy] | restart N | roll | status | stop]" ;;
esac
