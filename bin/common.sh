# Shared by bin/cairn and bin/test: find a JDK >= 21 and Maven, install what is missing.
# Sourced, not run.

cairn_java_major() { # $1: a java binary; prints its major version
  "$1" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2; exit}'
}

# Sets JAVA_HOME to a JDK >= 21: JAVA_HOME if it qualifies, else `java` on the PATH, else the newest
# under /usr/lib/jvm. Cairn needs virtual threads (Java 21). With the argument `runtime`, a Java
# runtime without a compiler will do (running a built jar needs no javac).
cairn_find_jdk() {
  local candidate major tool=javac
  [ "${1:-}" = runtime ] && tool=java
  for candidate in "${JAVA_HOME:-}" "$(dirname "$(dirname "$(readlink -f "$(command -v "$tool" 2>/dev/null || echo /nonexistent)")")")" $(ls -d /usr/lib/jvm/* /opt/java/* /opt/jdk* 2>/dev/null | sort -rV); do
    [ -n "$candidate" ] && [ -x "$candidate/bin/$tool" ] || continue
    major=$(cairn_java_major "$candidate/bin/java")
    if [ -n "$major" ] && [ "${major%%.*}" -ge 21 ] 2>/dev/null; then
      export JAVA_HOME="$candidate"
      export PATH="$JAVA_HOME/bin:$PATH"
      return 0
    fi
  done
  echo "cairn: no JDK 21 or newer found (looked at JAVA_HOME, PATH and /usr/lib/jvm)." >&2
  echo "cairn: install one (for example Temurin 21 or 25) and set JAVA_HOME to it." >&2
  return 1
}

# Installs Debian packages that are missing, when we may (root with apt-get); otherwise says what
# to install and fails. $@: pairs "command-or-path:package".
cairn_need() {
  local missing=() pair what pkg
  for pair in "$@"; do
    what=${pair%%:*}; pkg=${pair#*:}
    if [[ $what == /* ]]; then compgen -G "$what" >/dev/null && continue
    else command -v "$what" >/dev/null 2>&1 && continue; fi
    missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "cairn: installing ${missing[*]}" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y -q "${missing[@]}" >/dev/null 2>&1 \
      || { apt-get update -q >/dev/null && apt-get install -y -q "${missing[@]}" >/dev/null; } \
      || { echo "cairn: could not install ${missing[*]}" >&2; return 1; }
  else
    echo "cairn: missing ${missing[*]}; install them (apt-get install ${missing[*]}) and run again." >&2
    return 1
  fi
}

# The JVM options bin/cairn gives the server before the user's CAIRN_JAVA_OPTS (which win), and the
# malloc arena cap it exports: sized for the resident-memory goal of issue 16 (docs/operations.md,
# Memory, has the measurements). $@: bin/cairn's arguments; a command other than serving (user,
# fsck, gc, sync...) keeps the JVM's own defaults: an offline gc's mark of millions of chunks needs
# more heap than a server does. A GC named in CAIRN_JAVA_OPTS replaces the default (the JVM refuses
# two). The end-to-end memory test (test/e2e/memory.sh) starts its server with exactly these.
# TrimNativeHeapInterval hands the memory glibc keeps after the JIT's compilations back to the system
# every second; a Java 21 before 21.0.1 does not know the option and would refuse to start with it.
cairn_default_java_opts() {
  local arg gc=-XX:+UseSerialGC trim=-XX:TrimNativeHeapInterval=1000 version
  for arg in "$@"; do
    case $arg in user|token|quota|ns|fsck|gc|backup|sync|help) return 0 ;; esac
  done
  [[ " ${CAIRN_JAVA_OPTS:-} " =~ \ -XX:\+Use[A-Za-z0-9]*GC\  ]] && gc=
  version=$(sed -n 's/^JAVA_VERSION="\(.*\)"/\1/p' "${JAVA_HOME:-/nonexistent}/release" 2>/dev/null)
  [[ -z $version || $version == 21 || $version == 21.0.0 ]] && trim=
  echo "$gc -Xmx192m -XX:MaxDirectMemorySize=64m -XX:ReservedCodeCacheSize=64m $trim"
}
export MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX:-2}
