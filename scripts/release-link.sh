#!/usr/bin/env bash
# Prepares how `make release` links its binaries, in DIR (default
# .build/release-link), and prints the `swift build` flags for it.
#
# A short run is dominated by starting the process, and most of that start is
# the dynamic loader's work (BENCHMARKS.md, "Starting the process"):
#   * lld instead of gold, with relative relocations packed (DT_RELR): the
#     binary's 105,000 pointer fix-ups become 20 KB of bitmaps instead of
#     2.5 MB of entries to read; needs glibc 2.36 or later at run time, which
#     the loader checks (it refuses the binary with a clear message otherwise);
#   * no dynamic symbol table for our own code (--no-export-dynamic): nothing
#     loads code into fpaudit, and the runtime's one dladdr at start scanned
#     all 24,000 exported symbols;
#   * libstdc++, SQLite and zlib from their static archives: each shared
#     library is one more object to map, and each of its symbol references is
#     looked up through every library loaded before it (libstdc++ and SQLite
#     alone made 3,200 of the 3,900 lookups). MPFR and GMP stay shared
#     libraries (they are LGPL, and the system's copies get its updates).
#
# The archives are put first on the linker's search path by a pkg-config
# directory (DIR/pkgconfig) whose mpfr.pc and zlib.pc name DIR/lib before the
# system's own flags: SwiftPM places pkg-config's -L flags ahead of all
# others, and the linker takes the first directory holding a library. Where a
# piece is missing (no lld next to swift, glibc older than 2.36, an archive
# not installed) the binary links as before, without that piece.
set -euo pipefail
dir=${1:-.build/release-link}
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
rm -rf "$dir/lib" "$dir/pkgconfig"
mkdir -p "$dir/lib" "$dir/pkgconfig"

flags=(-Xlinker --no-export-dynamic)
toolchain=$(dirname "$(readlink -f "$(command -v swift)")")
if [ -x "$toolchain/ld.lld" ]; then
    flags+=(-Xswiftc -use-ld=lld)
    glibc=$(getconf GNU_LIBC_VERSION 2>/dev/null | awk '{print $2}')
    if [ -n "$glibc" ] && printf '2.36\n%s\n' "$glibc" | sort -C -V; then
        flags+=(-Xlinker -z -Xlinker pack-relative-relocs)
    fi
fi

# The static archives: libstdc++ from the C++ toolchain the Swift driver
# links with, SQLite and zlib from their -dev packages.
archives=()
cxx=$("$toolchain/clang" -print-file-name=libstdc++.a 2>/dev/null || true)
[ -f "$cxx" ] && archives+=("$cxx")
for package in sqlite3 zlib; do
    libdir=$(pkg-config --variable=libdir "$package" 2>/dev/null || true)
    name=$([ "$package" = zlib ] && echo libz.a || echo "lib$package.a")
    [ -f "$libdir/$name" ] && archives+=("$libdir/$name")
done
if [ ${#archives[@]} -eq 3 ]; then
    for archive in "${archives[@]}"; do ln -s "$archive" "$dir/lib/"; done
    for package in mpfr zlib; do
        cat > "$dir/pkgconfig/$package.pc" <<EOF
# Written by scripts/release-link.sh: the system's $package, with the static
# archives of $dir/lib searched first.
Name: $package
Description: $package as the system installs it, for fpaudit's release link
Version: $(pkg-config --modversion "$package")
Cflags: $(pkg-config --cflags "$package")
Libs: -L$dir/lib $(pkg-config --libs "$package")
EOF
    done
else
    echo "release-link: static libstdc++, SQLite or zlib archive not found; linking them as shared libraries" >&2
fi
echo "${flags[@]}"
