#!/bin/bash
# Measures atlas serve --watch on a generated corpus (docs/performance.md, "Building, opening and
# watching at scale"): open to ready, idle CPU, peak RSS, and one edited file becoming searchable.
# usage: scripts/scale.sh N PORT BINARY SECONDS [noedit]; corpus /tmp/build-cN, index /tmp/build-ix-N
n=$1; port=$2; bin=$3; secs=$4
$bin serve --watch --content /tmp/build-c$n --index /tmp/build-ix-$n/atlas.bleve --addr 127.0.0.1:$port > /tmp/build-serve-$n.log 2>&1 &
pid=$!
start=$(date +%s.%N)
until curl -s 127.0.0.1:$port/readyz | grep -q '"status":"\(ready\|degraded\)"'; do sleep 0.1; done
ready=$(date +%s.%N)
echo "open-to-ready ($n): $(echo "$ready - $start" | bc) s"
grep -o '"index opened"[^}]*took=[^ ]*\|msg="index opened".*' /tmp/build-serve-$n.log | head -1
sleep 3
t0=$(awk '{print $14+$15}' /proc/$pid/stat); s0=$(date +%s.%N)
sleep $secs
t1=$(awk '{print $14+$15}' /proc/$pid/stat); s1=$(date +%s.%N)
echo "idle watch CPU ($n): $(echo "scale=2; ($t1-$t0)/$(getconf CLK_TCK)/($s1-$s0)*100" | bc) % over $secs s"
grep VmHWM /proc/$pid/status
[ "$5" = noedit ] && { kill $pid; wait $pid 2>/dev/null; exit; }
f=/tmp/build-c$n/gen-000007.md
cp $f /tmp/build-save-$n.md
sed -i 's/^title: .*/title: "Zyxwvut quagga entry"/' $f
e0=$(date +%s.%N)
until curl -s "127.0.0.1:$port/api/search?q=zyxwvut" | grep -q '"id":"gen-000007"'; do sleep 0.05; done
e1=$(date +%s.%N)
echo "edit searchable ($n): $(echo "$e1 - $e0" | bc) s"
cp /tmp/build-save-$n.md $f
kill $pid; wait $pid 2>/dev/null
