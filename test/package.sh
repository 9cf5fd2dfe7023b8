#!/usr/bin/env bash
# The Debian package: the repository's tracked files (git ls-files, so no
# build product of the working tree gets in) are copied to a temporary
# directory and built there with `dpkg-buildpackage -us -uc -b` (debian/:
# pg_buildext); the .deb must hold the library, the control file and exactly
# the SQL scripts `make install` installs (the Makefile's DATA and DATA_built,
# read from the Makefile itself); it is installed with dpkg -i, a throwaway
# cluster of the system's PostgreSQL 15 (its own directory, socket and port
# AP_PKG_PORT, 54399) loads it (CREATE EXTENSION, the installed version, a sum
# of sek formatted in mnkr: C code), and the package is purged again.
#
# The machine is left as it was found: the files at the package's paths that
# were there before (the `make install` that make test did, or nothing) are
# saved before dpkg -i and put back after dpkg --purge, byte for byte, each
# through a rename (a running server that has the old library mapped keeps
# its copy).  Restoring the saved files rather than running `make install`
# again needs no second build, and restores what was there whichever
# checkout installed it (AP_DESTDIR runs leave the system install alone).
# debian/changelog's upstream version must be actionplan.control's
# default_version.
#
# Usage: bash test/package.sh   (root, or sudo for dpkg; the packages of
# scripts/deps.sh installed).  Prints "package: built NAME.deb, N files,
# smoke test ok" last and exits 0, or what failed and 1.
set -uo pipefail
. "$(dirname "$0")/../scripts/lib.sh"
unset MAKEFLAGS MAKELEVEL MFLAGS
PKG=postgresql-15-actionplan
SYSBIN=/usr/lib/postgresql/15/bin
SYSCONFIG=$SYSBIN/pg_config
PORT=${AP_PKG_PORT:-54399}
if [ "$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi

fails=0
fail() { echo "package: FAIL $*"; fails=$((fails + 1)); }
die() { echo "package: FAIL $*"; exit 1; }

WORK=$(mktemp -d)
CL=
installed=
cleanup() {
	if [ -n "$CL" ]; then
		as_owner "$SYSBIN/pg_ctl" -D "$CL/data" -m immediate -w stop >/dev/null 2>&1
		rm -rf "$CL"
		CL=
	fi
	if [ -n "$installed" ]; then
		installed=
		$SUDO dpkg --purge "$PKG" >"$WORK/purge.out" 2>&1 || { cat "$WORK/purge.out"; fail "dpkg --purge $PKG"; }
		# what was there before, each file through a rename
		local f
		while IFS= read -r f; do
			$SUDO mkdir -p "$(dirname "$f")" && $SUDO cp -a "$WORK/saved$f" "$f.package-restore" &&
				$SUDO mv -f "$f.package-restore" "$f" || fail "restoring $f"
		done <"$WORK/saved.list"
		while IFS= read -r f; do
			cmp -s "$WORK/saved$f" "$f" || fail "$f is not as before dpkg -i"
		done <"$WORK/saved.list"
	fi
	rm -rf "$WORK"
}
trap cleanup EXIT
# the version the package says and the version the extension installs
deb_version=$(dpkg-parsechangelog -l "$ROOT/debian/changelog" -S Version) || die "debian/changelog unreadable"
upstream=${deb_version#*:}
upstream=${upstream%-*}
default_version=$(sed -n "s/^default_version *= *'\([^']*\)'.*/\1/p" "$ROOT/actionplan.control")
[ "$upstream" = "$default_version" ] ||
	fail "debian/changelog's version $deb_version is not actionplan.control's default_version $default_version"

if dpkg-query -W -f='${Status}' "$PKG" 2>/dev/null | grep -q 'install ok installed'; then
	die "$PKG is installed on this machine; this test would replace and remove it (dpkg --purge $PKG first)"
fi

# the tracked files, as they are in the working tree
SRC=$WORK/actionplan
mkdir -p "$SRC"
if git -C "$ROOT" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
	(cd "$ROOT" && git ls-files -z | tar --null -T - -c --ignore-failed-read 2>/dev/null) | tar -x -C "$SRC" ||
		die "copying the tracked files failed"
else
	cp -a "$ROOT/." "$SRC/" && make -s -C "$SRC" clean PG_CONFIG="$SYSCONFIG" >/dev/null || die "copying the tree failed"
fi

# what `make install` installs, by the Makefile's own variables
make -s --no-print-directory -C "$SRC" PG_CONFIG="$SYSCONFIG" \
	--eval 'package-list: ; @printf "lib %s\n" $(MODULE_big) $(MODULES); printf "ext %s\n" $(EXTENSION).control $(notdir $(DATA) $(DATA_built))' \
	package-list >"$WORK/make-install.list" 2>"$WORK/make-list.err" || { cat "$WORK/make-list.err"; die "reading the Makefile's install list failed"; }
pkglibdir=$("$SYSCONFIG" --pkglibdir)
sharedir=$("$SYSCONFIG" --sharedir)
awk -v lib="$pkglibdir" -v share="$sharedir" '
	$1 == "lib" { print lib "/" $2 ".so" } $1 == "ext" { print share "/extension/" $2 }' \
	"$WORK/make-install.list" | sort -u >"$WORK/expected"

# build
start=$(date +%s)
(cd "$SRC" && DEB_BUILD_OPTIONS="noautodbgsym parallel=$(nproc)" dpkg-buildpackage -us -uc -b) >"$WORK/build.out" 2>&1 ||
	{ tail -n 40 "$WORK/build.out"; die "dpkg-buildpackage failed"; }
deb=$(ls "$WORK"/${PKG}_*.deb 2>/dev/null | head -n1)
[ -n "$deb" ] || die "no ${PKG}_*.deb built"
name=$(basename "$deb")
[ "$name" = "${PKG}_${deb_version#*:}_$(dpkg --print-architecture).deb" ] || fail "built $name, not version $deb_version"

# its contents: the library, the control file and exactly make install's SQL scripts
dpkg-deb -c "$deb" | awk '$1 !~ /^d/ { sub(/^\./, "", $6); print $6 }' | sort >"$WORK/contents"
nfiles=$(wc -l <"$WORK/contents")
missing=$(comm -23 "$WORK/expected" "$WORK/contents")
[ -z "$missing" ] || fail "the package lacks what make install installs: $(echo $missing)"
extra=$(grep -E "^$sharedir/extension/" "$WORK/contents" | comm -13 "$WORK/expected" -)
[ -z "$extra" ] || fail "the package has extension files make install does not install: $(echo $extra)"
grep -qx "$sharedir/extension/actionplan--$default_version.sql" "$WORK/expected" ||
	fail "make install installs no script for default_version $default_version"
dpkg-deb -f "$deb" Depends | grep -q 'postgresql-15' || fail "the package does not depend on postgresql-15"

# save what is at the package's paths now, then install
grep -v '^/usr/share/doc/' "$WORK/contents" | while IFS= read -r f; do
	[ -e "$f" ] || continue
	mkdir -p "$WORK/saved$(dirname "$f")" && cp -a "$f" "$WORK/saved$f" && echo "$f"
done >"$WORK/saved.list" || die "saving the installed files failed"
installed=1
$SUDO dpkg -i "$deb" >"$WORK/install.out" 2>&1 || { cat "$WORK/install.out"; die "dpkg -i $name failed"; }
$SUDO dpkg --verify "$PKG" || fail "dpkg --verify $PKG: the installed files differ from the package"

# a throwaway cluster of the system's server loads it
CL=$(mktemp -d /tmp/actionplan-package.XXXXXX)
[ "$(id -u)" = 0 ] && chown postgres: "$CL"
as_owner "$SYSBIN/initdb" -D "$CL/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$WORK/initdb.out" 2>&1 ||
	{ cat "$WORK/initdb.out"; die "initdb failed"; }
as_owner "$SYSBIN/pg_ctl" -D "$CL/data" -l "$CL/server.log" -w -t 60 \
	-o "-p $PORT -k $CL -c listen_addresses='' -c fsync=off -c lc_messages=C" start >/dev/null ||
	{ tail -n 20 "$CL/server.log"; die "the throwaway cluster did not start"; }
q() { "$SYSBIN/psql" -X -q -At -v ON_ERROR_STOP=1 -h "$CL" -p "$PORT" -U postgres -d postgres "$@"; }
smoke=$(q -c "CREATE EXTENSION actionplan" \
	-c "SELECT extversion FROM pg_extension WHERE extname = 'actionplan'" \
	-c "SELECT sek_format(sum(x::sek), 'mnkr') FROM (VALUES (-80000000), (-1250000), (-250000)) v(x)" 2>&1) ||
	{ echo "$smoke"; die "CREATE EXTENSION actionplan or the smoke query failed"; }
# -80 000 000 - 1 250 000 - 250 000 kr = -81 500 000 kr
expected_smoke="$default_version
-81,5 mnkr"
[ "$smoke" = "$expected_smoke" ] || fail "smoke test gave '$(echo $smoke)', expected '$(echo $expected_smoke)'"
as_owner "$SYSBIN/pg_ctl" -D "$CL/data" -m fast -w stop >/dev/null || fail "stopping the throwaway cluster"

# purge, put back what was there and check it is
cleanup
if dpkg-query -W -f='${Status}' "$PKG" 2>/dev/null | grep -q 'installed'; then fail "$PKG still installed"; fi
secs=$(($(date +%s) - start))

[ "$fails" -eq 0 ] || { echo "package: $fails failed"; exit 1; }
echo "package: built $name, $nfiles files, smoke test ok (${secs}s)"
