package io.cairn.server;

import java.nio.file.Path;
import java.util.Map;

/** {@link CrashContract} on the embedded defaults: SQLite and chunks on local disk. */
class CrashFsTest extends CrashContract {
  @Override
  Map<String, String> storage(Path dir) {
    return Map.of();
  }
}
