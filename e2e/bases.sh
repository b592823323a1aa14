#!/usr/bin/env bash
# Makes the image's base from Debian packages when it is missing (no image registry is reachable here):
# Debian bookworm (minbase, CA certificates) with a Java 17 runtime that jlink makes from the host's JDK 17
# (its jmods), with its own class data sharing archive; no JDK, no package caches. A few minutes, once.
# The same base serves the Dockerfile's build stage, which only copies the jar built on the host.
# Usage: e2e/bases.sh IMAGE_NAME
set -euo pipefail
name="${1:?base image name}"
podman() { command podman --runtime runc "$@"; }
if podman image exists "$name"; then
  echo "base $name: present"
  exit 0
fi
java_home="${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")}"
if [ ! -x "$java_home/bin/jlink" ] || [ ! -f "$java_home/jmods/java.base.jmod" ]; then
  echo "base $name: needs a JDK 17 with jmods on the host (Debian: openjdk-17-jdk-headless); none at $java_home" >&2
  exit 1
fi
"$java_home/bin/java" -version 2>&1 | grep -q 'version "17' || { echo "base $name: $java_home is not JDK 17" >&2; exit 1; }
work="$(mktemp -d /var/tmp/spillway-base.XXXXXX)"
trap 'rm -rf "$work"' EXIT
root="$work/root"
start=$SECONDS
echo "base $name: debootstrap bookworm (minbase, CA certificates)"
debootstrap --variant=minbase --include=ca-certificates bookworm "$root" \
  http://deb.debian.org/debian > "$work/debootstrap.log" 2>&1 || { tail -20 "$work/debootstrap.log"; exit 1; }
# Java SE with the JDK modules that TLS, zip file systems, DNS and the JDBC drivers' unsafe access use
modules=java.se,jdk.unsupported,jdk.crypto.ec,jdk.crypto.cryptoki,jdk.zipfs,jdk.naming.dns,jdk.net,jdk.management,jdk.localedata
echo "base $name: jlink from $java_home"
"$java_home/bin/jlink" --add-modules "$modules" --include-locales=en --strip-debug --no-man-pages \
  --no-header-files --compress=2 --generate-cds-archive --output "$root/opt/java"
# the certificate store Debian keeps for Java; the JDK's own may be a link to the host's
cp --remove-destination -L /etc/ssl/certs/java/cacerts "$root/opt/java/lib/security/cacerts" 2>/dev/null \
  || cp --remove-destination -L "$java_home/lib/security/cacerts" "$root/opt/java/lib/security/cacerts"
# run on the host: in a chroot without /proc the launcher cannot find its libraries ($ORIGIN)
"$root/opt/java/bin/java" -version 2>&1 | head -1
# what a runtime does not need: package caches and lists, documentation, locales but C
chroot "$root" apt-get clean
rm -rf "$root"/var/lib/apt/lists/* "$root"/usr/share/doc/* "$root"/usr/share/man/* "$root"/usr/share/info/* \
  "$root"/var/cache/debconf/*-old "$root"/var/log/*.log "$root"/var/cache/apt/*.bin
find "$root/usr/share/locale" -mindepth 1 -maxdepth 1 ! -name 'C.*' -exec rm -rf {} + 2>/dev/null || true
tar -C "$root" -cf "$work/base.tar" .
podman import --change 'ENV PATH=/opt/java/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  --change 'ENV LANG=C.UTF-8' --change 'ENV JAVA_HOME=/opt/java' "$work/base.tar" "$name" > /dev/null
echo "base $name: made in $((SECONDS - start)) s, $(podman image inspect --format '{{.Size}}' "$name" | awk '{printf "%.0f MB", $1/1e6}')"
