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
  if [ -n "${VERBOSE_JDK:-}" ]; then
    echo "Using the JDK at $JAVA_HOME (Java $(java_major "$JAVA_HOME"))." >&2
  fi
}

# Sets JVM_OPTIONS to the server's JVM settings (bin/jvm.options) for the JDK in JAVA_HOME. Before JDK 22 the native
# heap trim is experimental (21.0.1 and later) or unknown (21.0.0), so there it is unlocked or skipped.
jvm_options() {
  JVM_OPTIONS=("@$ROOT/bin/jvm.options")
  if [ "$(java_major "$JAVA_HOME")" -lt 22 ]; then
    JVM_OPTIONS=(-XX:+UnlockExperimentalVMOptions -XX:+IgnoreUnrecognizedVMOptions "${JVM_OPTIONS[@]}")
  fi
}
