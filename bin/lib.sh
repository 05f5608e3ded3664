# Shared by the scripts in bin/: finds a JDK >= 21 and the project root.
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CLI_VERSION="2.1.328"

java_major() {
  "$1/bin/java" -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -1
}

find_jdk() {
  local candidate
  for candidate in "${JAVA_HOME:-}" /usr/lib/jvm/* "$(dirname "$(dirname "$(readlink -f "$(command -v javac 2>/dev/null || echo /nonexistent)")")")"; do
    [ -n "$candidate" ] && [ -x "$candidate/bin/javac" ] || continue
    local major
    major="$(java_major "$candidate")"
    if [ -n "$major" ] && [ "$major" -ge 21 ]; then
      echo "$candidate"
      return 0
    fi
  done
  return 1
}

use_jdk() {
  local jdk
  if ! jdk="$(find_jdk)"; then
    echo "claude-max-api needs a JDK 21 or newer (none found in JAVA_HOME, /usr/lib/jvm or on PATH)." >&2
    exit 1
  fi
  export JAVA_HOME="$jdk"
  export PATH="$JAVA_HOME/bin:$PATH"
  JAVA_MAJOR="$(java_major "$JAVA_HOME")"
  if [ -n "${VERBOSE_JDK:-}" ]; then
    echo "Using the JDK at $JAVA_HOME (Java $JAVA_MAJOR)." >&2
  fi
}

# Sets JVM_OPTIONS to the server's JVM settings (bin/jvm.options) for the JDK use_jdk found, then $JAVA_OPTS, which
# come later and so override them. Before JDK 22 the native heap trim is experimental (21.0.1 and later) or unknown
# (21.0.0), so there it is unlocked or skipped.
jvm_options() {
  JVM_OPTIONS=("@$ROOT/bin/jvm.options")
  if [ "$JAVA_MAJOR" -lt 22 ]; then
    JVM_OPTIONS=(-XX:+UnlockExperimentalVMOptions -XX:+IgnoreUnrecognizedVMOptions "${JVM_OPTIONS[@]}")
  fi
  # word splitting wanted: JAVA_OPTS is a list of options
  # shellcheck disable=SC2206
  JVM_OPTIONS+=(${JAVA_OPTS:-})
}
