# Sourced by compare.sh and relay-compare.sh: free ports, and a private Postfix 3.7 instance in a directory of its
# own (own main.cf, master.cf, queue and log; the system's Postfix is neither used nor touched) that relays every
# message to one next hop. Needs root (Postfix's master).

free_port() { /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

wait_port() { # port, what
  for _ in $(seq 1 100); do (exec 3<>/dev/tcp/127.0.0.1/"$1") 2>/dev/null && return 0; sleep 0.1; done
  echo "$(basename "$0"): $2 did not listen on 127.0.0.1:$1" >&2; exit 1
}

# directory, next hop port, certificate, key, then any more main.cf lines; prints the smtpd port once it listens.
# Postfix 3.7's defaults otherwise: smtpd on 127.0.0.1 with STARTTLS offered (smtpd_tls_security_level = may), no
# peer-name lookup (the gateway runs with Dns:ReverseLookup=false alike), default_process_limit 200.
start_postfix() {
  local d=$1 relay=$2 cert=$3 key=$4 port; shift 4
  port=$(free_port)
  mkdir -p "$d/etc" "$d/queue"
  {
    cat <<CF
compatibility_level = 3.6
queue_directory = $d/queue
data_directory = $d/data
maillog_file = $d/maillog
maillog_file_prefixes = $d
multi_instance_enable = no
myhostname = postfix.bench.test
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
mydestination =
local_recipient_maps =
local_transport = error:no local delivery
alias_maps =
alias_database =
mynetworks = 127.0.0.0/8
relayhost = [127.0.0.1]:$relay
smtpd_relay_restrictions = permit_mynetworks, reject
smtpd_peername_lookup = no
smtp_dns_support_level = disabled
default_process_limit = 200
smtpd_tls_security_level = may
smtpd_tls_cert_file = $cert
smtpd_tls_key_file = $key
CF
    printf '%s\n' "$@"
  } >"$d/etc/main.cf"
  cat >"$d/etc/master.cf" <<CF
127.0.0.1:$port inet n - n - - smtpd
pickup    unix  n       -       n       60      1       pickup
cleanup   unix  n       -       n       -       0       cleanup
qmgr      unix  n       -       n       300     1       qmgr
tlsmgr    unix  -       -       n       1000?   1       tlsmgr
rewrite   unix  -       -       n       -       -       trivial-rewrite
bounce    unix  -       -       n       -       0       bounce
defer     unix  -       -       n       -       0       bounce
trace     unix  -       -       n       -       0       bounce
verify    unix  -       -       n       -       1       verify
flush     unix  n       -       n       1000?   0       flush
proxymap  unix  -       -       n       -       -       proxymap
smtp      unix  -       -       n       -       -       smtp
relay     unix  -       -       n       -       -       smtp
showq     unix  n       -       n       -       -       showq
error     unix  -       -       n       -       -       error
retry     unix  -       -       n       -       -       error
discard   unix  -       -       n       -       -       discard
anvil     unix  -       -       n       -       1       anvil
scache    unix  -       -       n       -       1       scache
postlog   unix-dgram n  -       n       -       1       postlogd
CF
  # Postfix waits for a main.cf younger than a second to settle; this one is complete.
  touch -d '-1 min' "$d/etc/main.cf" "$d/etc/master.cf"
  /usr/sbin/postfix -c "$d/etc" post-install create-missing >/dev/null
  /usr/sbin/postfix -c "$d/etc" start >/dev/null 2>&1 || { cat "$d/maillog" >&2; exit 1; }
  wait_port "$port" "Postfix"
  echo "$port"
}
