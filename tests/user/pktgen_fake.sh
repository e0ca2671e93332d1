#!/bin/bash
# pkt-gen end to end over fake_netmap.so (an LD_PRELOAD stand-in for
# /dev/netmap with netmap-like pipes), so that the generator, the receiver
# and libnmport are tested without the kernel module.
#
#   tests/user/pktgen_fake.sh BUILD_DIR       (make check-pktgen-fake)
#
# Set VALGRIND=1 to also run one exchange under valgrind.
set -u

build=${1:-build}
pg=$build/bin/pkt-gen
fake=$build/user/fake_netmap.so
FAKENM_DIR=$(mktemp -d)
export FAKENM_DIR
trap 'rm -rf "$FAKENM_DIR"' EXIT
passed=0 failed=0

ok() { passed=$((passed + 1)); }
bad() { failed=$((failed + 1)); echo "FAIL: $*"; }

# run NAME CMD...: run with the fake device, output in $FAKENM_DIR/NAME
run() {
	local name=$1; shift
	LD_PRELOAD=$fake timeout 60 "$@" >"$FAKENM_DIR/$name" 2>&1
}

# expect NAME REGEX WHAT: the output of NAME matches REGEX
expect() {
	if grep -Eq -- "$2" "$FAKENM_DIR/$1"; then ok; else
		bad "$3"; sed 's/^/    /' "$FAKENM_DIR/$1"; fi
}

# pair NAME RX_ARGS -- TX_ARGS: a receiver-side and a sender-side process
# on the two ends of a fresh pipe; statuses in $rx_rc and $tx_rc.
pipe_n=0
pair() {
	local name=$1; shift
	local rxa=() txa=()
	while [ "$1" != -- ]; do rxa+=("$1"); shift; done; shift
	txa=("$@")
	pipe_n=$((pipe_n + 1))
	run "$name.rx" $pg -i "netmap:p$pipe_n{1" "${rxa[@]}" & local rxpid=$!
	sleep 0.3
	run "$name.tx" $pg -i "netmap:p$pipe_n}1" "${txa[@]}"; tx_rc=$?
	wait $rxpid; rx_rc=$?
}

sum_re() { echo "pkt-gen summary: dir=$1 pkts=$2 bytes=[0-9]+ secs=[0-9.]+ pps=[0-9]+ gbps=[0-9.]+ wire_gbps=[0-9.]+ errors=$3 lost=$4$"; }

# 1. the basic measurement, with every frame checked
pair basic -f rx -n 200000 -C -- -f tx -n 200000
[ $rx_rc = 0 ] && [ $tx_rc = 0 ] && ok || bad "basic: exit $rx_rc/$tx_rc"
expect basic.rx "$(sum_re rx 200000 0 0)" "basic: rx summary"
expect basic.tx "$(sum_re tx 200000 0 0)" "basic: tx summary"
expect basic.rx '^pkt-gen: [0-9]+ pps [0-9]+\.[0-9]{2} Gbps \(rx\)$' "basic: interval line"

# 2. frames longer than a buffer travel as NS_MOREFRAG chains
pair frags -f rx -n 20000 -C -- -f tx -n 20000 -l 9000
[ $rx_rc = 0 ] && ok || bad "frags: rx exit $rx_rc"
expect frags.rx "$(sum_re rx 20000 0 0)" "frags: 9000-byte frames"
expect frags.rx "bytes=180000000 " "frags: byte count covers all slots"

# 3. one thread per ring
pair threads -f rx -n 100000 -C -p 2 -- -f tx -n 100000 -p 2 -a 0
[ $rx_rc = 0 ] && [ $tx_rc = 0 ] && ok || bad "threads: exit $rx_rc/$tx_rc"
expect threads.rx "$(sum_re rx 100000 0 0)" "threads: rx summary"

# 4. many flows, sent and received on one (loopback) port
run txrx $pg -i netmap:lo0 -f txrx -n 50000 -C \
	-s 10.0.0.1:1000-10.0.0.9:1010 -d 10.1.0.1-10.1.0.3 -S 02:00:00:00:00:09
[ $? = 0 ] && ok || bad "txrx: exit status"
expect txrx "$(sum_re rx 50000 0 0)" "txrx: rx summary"

# 5. latency
pair ping -f pong -n 500 -- -f ping -n 500
[ $rx_rc = 0 ] && [ $tx_rc = 0 ] && ok || bad "ping: exit $rx_rc/$tx_rc"
expect ping.tx '^pkt-gen latency: n=500 min_us=[0-9.]+ p50_us=[0-9.]+ p90_us=[0-9.]+ p99_us=[0-9.]+ max_us=[0-9.]+$' "ping: latency line"
expect ping.rx "$(sum_re pong 500 0 0)" "ping: pong summary"

# 6. busy waiting
pair busy -f rx -n 50000 -C -y -- -f tx -n 50000 -y
[ $rx_rc = 0 ] && ok || bad "busy: rx exit $rx_rc"
expect busy.rx "$(sum_re rx 50000 0 0)" "busy: rx summary"

# 7. corruption is caught and fails the run
FAKENM_CORRUPT=1000 pair corrupt -f rx -n 10000 -C -- -f tx -n 10000
[ $rx_rc = 1 ] && ok || bad "corrupt: rx exit $rx_rc, want 1"
expect corrupt.rx "$(sum_re rx 10000 10 0)" "corrupt: 10 errors, no loss"
expect corrupt.rx "payload pattern mismatch" "corrupt: error described"

# 8. errors and usage
run noport $pg -i 'netmap:eth0^' -f tx
[ $? = 1 ] && ok || bad "noport: exit status"
expect noport 'pkt-gen: netmap:eth0\^: cannot register: ' "noport: message"
run badspec $pg -i 'netmap:eth0/q'
[ $? = 1 ] && ok || bad "badspec: exit status"
expect badspec "unknown flag 'q'" "badspec: message"
run usage $pg -i x -l 59
[ $? = 2 ] && ok || bad "usage: exit status"
run help $pg --help
[ $? = 0 ] && ok || bad "help: exit status"
expect help 'wire_gbps' "help: describes the summary"

# 9. The sender's per-slot work.  A slot whose buffer is where the sender
# left it (a switch copies out of it: FAKENM_COPY) is turned into the next
# frame in place; only the first lap over the 1024 slots is written whole.
# When the buffers move (the pipe swaps them) every frame is written whole.
# Either way every frame checks out (-C), with one flow or many.
# written NAME: the tx's count of frames written whole
written() { sed -n 's/^pkt-gen: thread 0: [0-9]* frames sent, \([0-9]*\) written whole.*/\1/p' \
	"$FAKENM_DIR/$1"; }
FAKENM_COPY=1 pair inplace -f rx -n 100000 -C -- -f tx -n 100000 -v
[ $rx_rc = 0 ] && [ $tx_rc = 0 ] && ok || bad "inplace: exit $rx_rc/$tx_rc"
expect inplace.rx "$(sum_re rx 100000 0 0)" "inplace: every frame checks out"
w=$(written inplace.tx)
[ -n "$w" ] && [ "$w" -ge 1 ] && [ "$w" -le 1024 ] && ok ||
	bad "inplace: ${w:-no count of} frames written whole, want 1..1024 (one per slot)"
pair swapped -f rx -n 20000 -C -- -f tx -n 20000 -v
expect swapped.rx "$(sum_re rx 20000 0 0)" "swapped: every frame checks out"
[ "$(written swapped.tx)" = 20000 ] && ok ||
	bad "swapped: $(written swapped.tx) frames written whole, want all 20000"
FAKENM_COPY=1 pair inflows -f rx -n 50000 -C -l 1514 -- -f tx -n 50000 -l 1514 -v \
	-s 10.0.0.1:1000-10.0.0.9:1010 -d 10.1.0.1-10.1.0.3
expect inflows.rx "$(sum_re rx 50000 0 0)" "inflows: 1514-byte frames of many flows check out"
w=$(written inflows.tx)
[ -n "$w" ] && [ "$w" -le 1024 ] && ok || bad "inflows: ${w:-no count of} frames written whole"

# 10. Updating in place leaves most of the fill pattern alone, but with
# tx -C every 64-byte block still changes from frame to frame: a block
# that a switch failed to copy (FAKENM_STALE: the receiver's buffer keeps
# an earlier frame's bytes there) is caught, one error per such frame,
# none lost.  (Without tx -C the fill is the same in every frame of a
# stream: a block left over from an earlier frame is the right bytes, and
# rx -C checks the rest, as in 9.)
FAKENM_COPY=1 FAKENM_STALE=97 pair stale -f rx -n 9700 -C -l 1514 -- -f tx -n 9700 -l 1514 -C
[ $rx_rc = 1 ] && ok || bad "stale: rx exit $rx_rc, want 1"
expect stale.rx "$(sum_re rx 9700 100 0)" "stale: 100 stale frames, 100 errors, no loss"
expect stale.rx "payload pattern mismatch" "stale: error described"


if [ "${VALGRIND:-0}" = 1 ]; then
	vg="valgrind -q --error-exitcode=9 --leak-check=full --errors-for-leak-kinds=definite"
	run vg.rx $vg $pg -i "netmap:v{1" -f rx -n 5000 -C -l 3000 & vpid=$!
	sleep 2
	run vg.tx $vg $pg -i "netmap:v}1" -f tx -n 5000 -l 3000; tx_rc=$?
	wait $vpid; rx_rc=$?
	[ $rx_rc = 0 ] && [ $tx_rc = 0 ] && ok || {
		bad "valgrind: exit $rx_rc/$tx_rc"; cat "$FAKENM_DIR"/vg.*; }
fi

echo "$passed passed, $failed failed"
[ $failed = 0 ]
