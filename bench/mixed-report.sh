# The figures and checks of bench/mixed.sh, from wrk's BENCH line, the database and the samples. Sourced by
# mixed.sh after the app and the store have stopped (so the database is quiet); not to be run on its own.

field() { sed -n "s/.* $2=\([^ ]*\).*/\1/p" <<< " $1"; }

# pcts FILE: "p50 p99 max count" of the numbers in FILE, nearest rank.
pcts() {
  sort -n "$1" | awk '{ v[NR] = $1 } END {
    if (NR == 0) { print "- - - 0"; exit }
    i50 = int(NR * 0.50 + 0.999999); i99 = int(NR * 0.99 + 0.999999)
    printf "%d %d %d %d\n", v[i50], v[i99], v[NR], NR }'
}

# Each delivery joined to the referral of its order (the webhook id is "mixed-<order id>"). The judgement time is
# referral_checks.checked_at: the engine's clock when it wrote the rules' decisions (referrals.paid_at has the
# same value); the row's processed_at is when its batch was recorded done, which comes a little later.
# (A correlated subquery, one primary-key range per referral: joined to a grouped derived table instead, SQLite
# scanned the inbox once per referral.)
sql "SELECT judged - received_at, processed_at - received_at FROM (
       SELECT i.received_at, i.processed_at,
              (SELECT MIN(c.checked_at) FROM referral_checks c WHERE c.referral_id = r.id) AS judged
       FROM webhook_inbox i
       JOIN referrals r ON r.shop = i.shop AND r.order_id = CAST(substr(i.webhook_id, 7) AS INTEGER)
       WHERE i.topic = 'orders/paid' AND i.webhook_id LIKE 'mixed-%')
     WHERE judged IS NOT NULL" > "$WORK/latency.txt"
cut -d'|' -f1 "$WORK/latency.txt" > "$WORK/judged_ms.txt"
cut -d'|' -f2 "$WORK/latency.txt" | grep -v '^$' > "$WORK/done_ms.txt" || true
read -r J50 J99 JMAX JUDGED < <(pcts "$WORK/judged_ms.txt")
read -r D50 D99 DMAX _ < <(pcts "$WORK/done_ms.txt")

ROWS=$(sql "select count(*) from webhook_inbox")
OK=$(field "$LINE" ok)
OTHER=$(field "$LINE" other)
UNANSWERED=$(field "$LINE" unanswered)
NOT_DONE=$(sql "select count(*) from webhook_inbox where status <> 'done'")
RSS=$(rss_max_mb "$WORK/rss.txt")

echo
echo "Mixed load $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, $RATE orders/paid per s for ${DURATION}s, $CONNECTIONS connections," \
     "wrk -t$THREADS, $REFERRERS referrers, $CUSTOMER_PCT% with a customer, SQLite synchronous FULL, app workers on"
printf '%-7s %8s %8s %8s %10s %8s %10s %8s %8s %8s %9s %10s\n' "" sent 200s non-2xx unanswered sent/s accepted/s \
  p50_ms p99_ms max_ms "late>1ms" max_lag_ms
printf '%-7s %8s %8s %8s %10s %8s %10s %8s %8s %8s %9s %10s\n' intake "$(field "$LINE" sent)" "$OK" "$OTHER" "$UNANSWERED" \
  "$(field "$LINE" sent_per_s)" "$(field "$LINE" accepted_per_s)" "$(field "$LINE" p50_ms)" "$(field "$LINE" p99_ms)" \
  "$(field "$LINE" max_ms)" "$(field "$LINE" late)" "$(field "$LINE" max_lag_ms)"
echo "judged: $JUDGED of $ROWS deliveries have a judged referral"
echo "  200 -> referral judged (inbox received_at -> referral_checks.checked_at): p50 $J50 ms, p99 $J99 ms, max $JMAX ms"
echo "  200 -> inbox row done  (inbox received_at -> processed_at):               p50 $D50 ms, p99 $D99 ms, max $DMAX ms"
echo "queue: $PENDING_AT_STOP deliveries waiting when the load stopped; drained ${drained:-NOT within ${DRAIN_TIMEOUT}s} s after it stopped"
echo "app RSS: max $RSS MB ($(wc -l < "$WORK/rss.txt") samples every 0.5 s, app start to drained)"
echo "loadavg (1 min): $LOAD_START at the start, $LOAD_AT_STOP when the load stopped, $LOAD_END when drained"
echo "inbox by status: $(sql "select group_concat(status || ' ' || n, ', ') from (select status, count(*) n from webhook_inbox group by status)")"
echo "referrals by status: $(sql "select group_concat(status || ' ' || n, ', ') from (select status, count(*) n from referrals group by status)")"
echo "checks not passed: $(sql "select coalesce(group_concat(rule || ' ' || outcome || ' ' || n, ', '), 'none') from (select rule, outcome, count(*) n from referral_checks where outcome <> 'pass' group by 1, 2)")"
echo "rules per judged referral: $(sql "select count(*) * 1.0 / max(1, count(distinct referral_id)) from referral_checks")"
grep '^store ' "$WORK/store.log" || echo "store: no request summary (see $WORK/store.log)"
if [ "$NOT_DONE" != 0 ]; then
  echo "not done, with their last errors:"
  sql "select status, coalesce(substr(last_error, 1, 160), '-'), count(*) from webhook_inbox where status <> 'done' group by 1, 2 limit 10"
fi

failures=()
[ "$ROWS" = "$OK" ] || failures+=("inbox has $ROWS rows but wrk got $OK 200s")
[ "$UNANSWERED" = 0 ] || failures+=("$UNANSWERED requests got no answer (see $WORK/wrk.txt)")
[ "$OTHER" = 0 ] || failures+=("$OTHER non-200 answers: $(field "$LINE" statuses)")
[ -n "$drained" ] || failures+=("the inbox still had waiting rows ${DRAIN_TIMEOUT}s after the load")
[ "$NOT_DONE" = 0 ] || failures+=("$NOT_DONE deliveries are not done")
[ "$JUDGED" = "$ROWS" ] || failures+=("$JUDGED of $ROWS deliveries have a judged referral")
status=0
for f in "${failures[@]}"; do echo "FAIL: $f"; status=1; done
[ "$status" = 0 ] && echo "checks: ok"
echo "details: $WORK"
exit "$status"
