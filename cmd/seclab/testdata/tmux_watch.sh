#!/usr/bin/env bash
# The second-terminal workflow, end to end, with the real AWS CLI:
# window 1 runs `seclab lesson 1`; window 2 points the AWS CLI at that
# lesson's sandbox with `seclab sandbox env` and makes step 1's calls; the
# step must pass in window 1 (watch mode) and `seclab trail` must mark the
# checks' own calls "(check)".
#
# Usage: cmd/seclab/testdata/tmux_watch.sh   (from the repository root)
#   SECLAB=/path/to/seclab uses that binary instead of building one.
# Exits 0 with "SKIP" when tmux or the AWS CLI is missing, 1 on failure.
set -euo pipefail

for tool in tmux aws; do
	if ! command -v "$tool" >/dev/null; then
		echo "SKIP: $tool is not installed"
		exit 0
	fi
done

work=$(mktemp -d)
sock="seclab-watch-$$"
cleanup() {
	tmux -L "$sock" kill-server 2>/dev/null || true
	rm -rf "$work"
}
trap cleanup EXIT

bin=${SECLAB:-}
if [ -z "$bin" ]; then
	bin="$work/seclab"
	go build -o "$bin" ./cmd/seclab
fi
export XDG_STATE_HOME="$work/state"

# wait_for WINDOW TEXT SECONDS: poll the window until it shows TEXT.
wait_for() {
	local deadline=$((SECONDS + $3))
	while [ $SECONDS -lt $deadline ]; do
		if tmux -L "$sock" capture-pane -p -t "w:$1" | grep -qF -- "$2"; then
			return 0
		fi
		sleep 0.5
	done
	echo "FAIL: window $1 never showed: $2" >&2
	tmux -L "$sock" capture-pane -p -t "w:$1" >&2
	return 1
}

tmux -L "$sock" new-session -d -s w -n lesson -x 160 -y 50 \
	"env XDG_STATE_HOME='$XDG_STATE_HOME' TERM=xterm-256color '$bin' lesson 1; sleep 600"
wait_for lesson "Steps · 0/2 passed" 30

# Window 2: another terminal, knowing nothing but what `seclab sandbox env` prints.
tmux -L "$sock" new-window -t w -n term2 "bash --norc --noprofile"
tmux -L "$sock" send-keys -t w:term2 "export XDG_STATE_HOME='$XDG_STATE_HOME' AWS_CONFIG_FILE='$work/none' AWS_SHARED_CREDENTIALS_FILE='$work/none'" Enter
tmux -L "$sock" send-keys -t w:term2 "eval \"\$('$bin' sandbox env)\" && aws sts get-caller-identity && acct=\$(aws sts get-caller-identity --query Account --output text) && aws secretsmanager create-secret --name seclab/welcome/note --secret-string \"\$acct\" && printf '%s-%s\\n' TERM2 DONE" Enter
# (printf, so that the typed command line does not itself show the marker)
wait_for term2 "TERM2-DONE" 60
wait_for term2 "using the sandbox of lesson 1 (welcome)" 1

# Window 1: watch mode re-checked the step and it passed.
wait_for lesson "✓ 1 Ask AWS who you are" 30
wait_for lesson "Steps · 1/2 passed" 5

# The check's own calls are marked in the trail.
"$bin" trail --state "$XDG_STATE_HOME/seclab/lessons/welcome/sandbox" >"$work/trail.txt"
if ! grep -q "learner (check) *secretsmanager:GetSecretValue" "$work/trail.txt"; then
	echo "FAIL: seclab trail does not mark the check's GetSecretValue" >&2
	cat "$work/trail.txt" >&2
	exit 1
fi

# Leaving the lesson withdraws the endpoint.
tmux -L "$sock" send-keys -t w:lesson C-c
for _ in $(seq 20); do
	[ -e "$XDG_STATE_HOME/seclab/lessons/welcome/sandbox/endpoint" ] || break
	sleep 0.5
done
if "$bin" sandbox env >/dev/null 2>&1; then
	echo "FAIL: seclab sandbox env still finds a sandbox after the lesson closed" >&2
	exit 1
fi
echo "PASS: a second terminal's AWS CLI passed lesson 1 step 1 in watch mode"
