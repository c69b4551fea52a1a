package io.cairn.server;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.stream.Stream;

/** {@link GcUnderLoadContract} on the embedded defaults: SQLite and chunks on local disk, where it must hold. */
class GcUnderLoadFsTest extends GcUnderLoadContract {
  @Override
  Map<String, String> storage(Path dir) {
    return Map.of();
  }

  @Override
  void ageEveryChunk(Duration age) throws Exception {
    setEveryFileBack(dir.resolve("chunks"), age);
  }

  /** Sets the modification time of every file below {@code root} {@code age} back. */
  static void setEveryFileBack(Path root, Duration age) throws Exception {
    FileTime then = FileTime.from(Instant.now().minus(age));
    try (Stream<Path> files = Files.walk(root)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        Files.setLastModifiedTime(f, then);
      }
    }
  }
}
