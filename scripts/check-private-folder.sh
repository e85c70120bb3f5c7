#!/usr/bin/env bash
# Proves `npm start` works from a checkout nobody else may enter (as `mktemp -d` and /root are):
# run as root, embedded PostgreSQL runs as the `postgres` user, which cannot reach such a folder.
# Clones HEAD of this repository into a fresh mktemp folder, runs `npm ci` and `npm start`,
# asks /healthz, kills the worker and then the HTTP server (each must come back by itself while
# the rest stays up), stops the stack with SIGINT (as Ctrl-C would) and checks it stopped cleanly.
#
# TEMPORAL_CLI names the Temporal CLI; unset, scripts/ensure-temporal-cli.ts finds or builds it.
# BANLI_CHECK_REF checks out another commit of the clone instead of HEAD.
# Timeouts (seconds): BANLI_CHECK_START_TIMEOUT (default 300), BANLI_CHECK_STOP_TIMEOUT (120).
set -euo pipefail

repo=$(git -C "$(dirname "$0")" rev-parse --show-toplevel)
start_timeout=${BANLI_CHECK_START_TIMEOUT:-300}
stop_timeout=${BANLI_CHECK_STOP_TIMEOUT:-120}
work=''
log=''
stack_pid=''

say() { printf '[check-private-folder] %s\n' "$*"; }

fail() {
  printf '[check-private-folder] FAIL: %s\n' "$*" >&2
  if [[ -n $log && -s $log ]]; then
    printf '[check-private-folder] last lines of the npm start output:\n' >&2
    tail -n 40 "$log" >&2
  fi
  exit 1
}

alive() { [[ -n $stack_pid ]] && kill -0 "$stack_pid" 2>/dev/null; }

cleanup() {
  # A stack left running by a failed check would hold its ports and the folder.
  if alive; then
    kill -TERM -- "-$stack_pid" 2>/dev/null || true
    for _ in $(seq 1 30); do alive || break; sleep 1; done
    kill -KILL -- "-$stack_pid" 2>/dev/null || true
  fi
  if [[ -n $work ]]; then
    # Under root the cluster lives outside the checkout, behind this symlink; it belongs to the checkout.
    local pgdata="$work/banli/.data/postgres/pg"
    if [[ -L $pgdata ]]; then rm -rf -- "$(readlink "$pgdata")"; fi
    rm -rf -- "$work"
  fi
}
trap cleanup EXIT
trap 'fail "interrupted"' INT TERM

if [[ -z ${TEMPORAL_CLI:-} ]]; then
  say "TEMPORAL_CLI is not set; asking scripts/ensure-temporal-cli.ts (may build it with Go the first time)"
  TEMPORAL_CLI=$(cd "$repo" && npx --no-install tsx scripts/ensure-temporal-cli.ts | tail -n 1) || fail "no Temporal CLI: set TEMPORAL_CLI to the binary"
fi
[[ -x $TEMPORAL_CLI ]] || fail "TEMPORAL_CLI=$TEMPORAL_CLI is not an executable file"
export TEMPORAL_CLI

work=$(mktemp -d)
mode=$(stat -c %a "$work")
[[ $mode == 700 ]] || fail "mktemp -d made $work with mode $mode, not 700: this check would prove nothing"
say "cloning $(git -C "$repo" rev-parse --short HEAD) of $repo into $work/banli (folder mode $mode, user $(id -un))"
git clone --quiet "$repo" "$work/banli" || fail "git clone of $repo failed"
cd "$work/banli"
if [[ -n ${BANLI_CHECK_REF:-} ]]; then
  git checkout --quiet --detach "$BANLI_CHECK_REF" || fail "cannot check out BANLI_CHECK_REF=$BANLI_CHECK_REF"
  say "checked out $(git rev-parse --short HEAD) (BANLI_CHECK_REF)"
fi

say "npm ci"
npm ci --no-audit --no-fund >"$work/npm-ci.log" 2>&1 || { log="$work/npm-ci.log"; fail "npm ci failed"; }

log="$work/npm-start.log"
: >"$log" # exists before the job below opens it, for the polling loop
say "npm start (TEMPORAL_CLI=$TEMPORAL_CLI)"
# Job control gives the stack a process group of its own, as a terminal would, so SIGINT
# below reaches npm and everything under it at once, like Ctrl-C does.
# npm runs scripts with /bin/sh; dash exits 130 on SIGINT even after the stack stopped cleanly
# (a terminal shows the same after Ctrl-C), which would hide the stack's own exit status. bash
# passes that status through, so it is the script shell here.
set -m
npm_config_script_shell=$(command -v bash) npm start >"$log" 2>&1 &
stack_pid=$!
set +m

waited=0
until grep -q 'is up (' "$log"; do
  alive || fail "npm start exited before the stack was up"
  ((waited < start_timeout)) || fail "the stack was not up within ${start_timeout} s"
  sleep 1
  waited=$((waited + 1))
done
url=$(sed -n 's/^ *HTTP API *\(http[^ ]*\).*/\1/p' "$log" | head -n 1)
[[ -n $url ]] || fail "no 'HTTP API' address in the npm start output"
if grep -q 'PostgreSQL .*(embedded, /' "$log"; then
  say "PostgreSQL keeps its data outside the checkout: $(sed -n 's/.*PostgreSQL .*(embedded, \(\/[^)]*\)).*/\1/p' "$log" | head -n 1)"
fi
say "up after ${waited} s; GET $url/healthz"
health=$(curl --silent --show-error --fail --max-time 10 "$url/healthz") || fail "GET $url/healthz failed"
say "healthz answered: $health"
[[ $health == *'"ok":true'* ]] || fail "healthz did not report ok"

# A worker or HTTP server that dies is restarted with backoff; the rest of the stack stays up.
for part in worker http; do
  entry=$([[ $part == worker ]] && echo worker/main.ts || echo client/main.ts)
  pid=$(pgrep -f -- "$work/banli/$entry" | head -n 1 || true)
  [[ -n $pid ]] || fail "no $part process ($entry) to kill"
  say "kill -9 the $part (pid $pid)"
  kill -KILL "$pid"
  waited=0
  until grep -q "^\[banli\] $part restarted\$" "$log"; do
    alive || fail "npm start exited after the $part was killed"
    ((waited < 60)) || fail "the $part was not restarted within 60 s"
    sleep 1
    waited=$((waited + 1))
  done
  health=$(curl --silent --show-error --fail --max-time 10 "$url/healthz") || fail "GET $url/healthz failed after the $part restarted"
  [[ $health == *'"ok":true'* ]] || fail "healthz did not report ok after the $part restarted"
  say "the $part was restarted within ${waited} s; healthz ok"
done

say "stopping with SIGINT"
kill -INT -- "-$stack_pid"
waited=0
while alive; do
  ((waited < stop_timeout)) || fail "npm start did not stop within ${stop_timeout} s of SIGINT"
  sleep 1
  waited=$((waited + 1))
done
status=0
wait "$stack_pid" || status=$?
stack_pid=''
((status == 0)) || fail "npm start exited with status $status after SIGINT"
grep -q '^\[banli\] stopped$' "$log" || fail "npm start did not report an orderly stop ('[banli] stopped')"
if grep -qE '^\s+at .*\((file://|/|node:)' "$log"; then fail "the npm start output contains a stack trace"; fi
leftover=$(pgrep -f -- "$work/banli" || true)
pgdata="$work/banli/.data/postgres/pg"
if [[ -L $pgdata ]]; then leftover+=$(pgrep -f -- "$(readlink "$pgdata")" || true); fi
[[ -z $leftover ]] || fail "processes still running from the checkout or its database: $leftover"

say "OK: npm start ran from a mode-$mode folder, answered /healthz and stopped cleanly in ${waited} s"
