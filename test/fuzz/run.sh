#!/usr/bin/env bash
# Fuzz src/sek_text.c with libFuzzer (ASan + UBSan).
#
# Usage: bash test/fuzz/run.sh [SECONDS]      (default 60)
#   Builds test/fuzz/build/sek_text_fuzz, seeds from test/fuzz/corpus/sek/
#   (read-only), writes new corpus entries and crash-* files to
#   test/fuzz/build/, and exits non-zero if the fuzzer finds a crash.
#   Extra compiler flags can be passed in FUZZ_CFLAGS.
#   Replay one input: test/fuzz/build/sek_text_fuzz test/fuzz/build/crash-...
set -euo pipefail

secs="${1:-60}"
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
build="$here/build"
probe="$(mktemp -d)"
trap 'rm -rf "$probe"' EXIT

# A clang whose libFuzzer runtime links (Debian: libclang-rt-NN-dev).
fuzz_ok() {
	echo 'int LLVMFuzzerTestOneInput(const char *d, unsigned long n) { return 0; }' > "$probe/t.c"
	command -v clang >/dev/null &&
		clang -fsanitize=fuzzer,address,undefined "$probe/t.c" -o "$probe/t" 2>/dev/null
}
if ! fuzz_ok; then
	[ "$(id -u)" = 0 ] || { echo "run.sh: clang with libFuzzer missing; run as root to install it" >&2; exit 2; }
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq clang
	fuzz_ok || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
		"libclang-rt-$(clang -dumpversion | cut -d. -f1)-dev"
	fuzz_ok || { echo "run.sh: clang -fsanitize=fuzzer still does not link" >&2; exit 2; }
fi

mkdir -p "$build/corpus"
# shellcheck disable=SC2086
clang -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
	-Wall -Wextra ${FUZZ_CFLAGS:-} -I"$root/src" \
	"$here/sek_text_fuzz.c" "$root/src/sek_text.c" -o "$build/sek_text_fuzz"

# New entries go to the first corpus dir (build/corpus); the seeds are only read.
cd "$build"
exec ./sek_text_fuzz -max_total_time="$secs" -max_len=64 \
	-artifact_prefix="$build/" -print_final_stats=1 \
	"$build/corpus" "$here/corpus/sek"
