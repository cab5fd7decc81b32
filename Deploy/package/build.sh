#!/usr/bin/env bash
# Builds the Debian package of Passage with dpkg-deb: the release binary (Deploy/build-release.sh,
# the Swift standard library linked in), the hardened systemd unit, the configuration file, the
# maintainer scripts (the passage user, /var/lib/passage, the personal-data key). No network
# needed beyond what the build itself fetches; no debhelper.
#   Deploy/package/build.sh [OUTPUT_DIR]     (default .build-package; prints the .deb's path last)
# PASSAGE_RELEASE_SCRATCH names the release build's scratch path (default .build-static, reused).
# (No pipeline here ends early, as `grep -q` or `head` would: under pipefail the writer's SIGPIPE
# would fail the build at random.)
set -euo pipefail
cd "$(dirname "$0")/../.."
output=${1:-.build-package}
scratch=${PASSAGE_RELEASE_SCRATCH:-.build-static}

bash Deploy/build-release.sh "$scratch" >&2
binary=$scratch/release/passage
version=$("$binary" --version | awk '{print $2}')
arch=$(dpkg --print-architecture)

# Depends: PostgreSQL (initdb, pg_ctl, pgcrypto) and the package of every shared library the
# binary links, checked here so that a new one cannot slip in without its package.
depends=(postgresql libpq5 libxlsxwriter4 zlib1g libc6 libstdc++6 libgcc-s1 passwd)
for library in $(readelf -d "$binary" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'); do
  path=$(ldconfig -p | awk -v lib="$library" '$1 == lib && !found { print $NF; found = 1 }')
  [ -n "$path" ] || { echo "build.sh: $library (linked by passage) is not installed here" >&2; exit 1; }
  package=$(dpkg -S "$(readlink -f "$path")" "$path" 2>/dev/null | awk -F: 'NR == 1 { print $1 }' || true)
  case " ${depends[*]} " in
    *" $package "*) ;;
    *) echo "build.sh: passage links $library from package '$package', not in Depends: add it" >&2; exit 1 ;;
  esac
done
# The newest glibc symbol version it uses; packed relative relocations need glibc 2.36 itself.
glibc=$(objdump -T "$binary" | grep -o 'GLIBC_[0-9.]*' | sort -Vu | tail -1 | cut -d_ -f2)
if readelf -V "$binary" | grep GLIBC_ABI_DT_RELR >/dev/null; then
  glibc=$(printf '%s\n2.36\n' "$glibc" | sort -V | tail -1)
fi

root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
install -D -m 0755 "$binary" "$root/usr/bin/passage"
# Debugging sections out (about 40% of the file); the symbol table stays, so a crash's
# backtrace still names functions.
strip --strip-debug "$root/usr/bin/passage"
# /lib, not /usr/lib: Debian 12 ships units there (the merged-/usr moratorium).
install -D -m 0644 Deploy/package/passage.service "$root/lib/systemd/system/passage.service"
install -D -m 0644 Deploy/package/passage-backup.service "$root/lib/systemd/system/passage-backup.service"
install -D -m 0644 Deploy/package/passage-backup.timer "$root/lib/systemd/system/passage-backup.timer"
install -D -m 0644 Deploy/package/passage.conf "$root/etc/passage/passage.conf"
install -D -m 0644 Docs/operations.md "$root/usr/share/doc/passage/operations.md"
install -D -m 0644 README.md "$root/usr/share/doc/passage/README.md"
install -d "$root/DEBIAN"
install -m 0755 Deploy/package/debian/postinst Deploy/package/debian/prerm Deploy/package/debian/postrm "$root/DEBIAN/"
echo /etc/passage/passage.conf > "$root/DEBIAN/conffiles"
cat > "$root/DEBIAN/control" <<CONTROL
Package: passage
Version: $version
Architecture: $arch
Maintainer: Passage maintainers <passage@localhost>
Section: misc
Priority: optional
Installed-Size: $(du -sk --exclude=DEBIAN "$root" | cut -f1)
Depends: postgresql, libpq5, libxlsxwriter4, zlib1g, libc6 (>= $glibc), libstdc++6, libgcc-s1, passwd
Recommends: pgbackrest
Description: case management for protection work with people on the move
 Passage records cases, classifies each one explainably into the four kinds of
 movement of the 2006 UN Workshop on Human Security report, keeps personal
 identifiers encrypted apart from the facts, audits every read and change, and
 serves a line console and an HTTP API. This package runs it as the systemd
 service passage.service on its own embedded PostgreSQL in /var/lib/passage.
CONTROL

mkdir -p "$output"
deb="$output/passage_${version}_${arch}.deb"
dpkg-deb --root-owner-group -Zzstd --build "$root" "$deb" >&2
echo "$deb"
