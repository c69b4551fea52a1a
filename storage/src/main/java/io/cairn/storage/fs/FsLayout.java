package io.cairn.storage.fs;

import io.cairn.core.ChunkHash;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Where chunks live under the store's root: {@code ab/cd/abcd…} (two fan-out levels named by the
 * first four hex digits of the hash, then the 64-digit hex name), with {@code tmp/} for files being
 * written and a {@code lock} file. Because every directory name is a prefix of the hex names below
 * it, walking the names in sorted order visits the chunks in ascending hash order.
 */
final class FsLayout {
  static final String TMP_DIR = "tmp";
  static final String LOCK_FILE = "lock";

  private static final int HEX_LENGTH = 2 * ChunkHash.BYTES;

  private final Path root;

  FsLayout(Path root) {
    this.root = root;
  }

  Path root() {
    return root;
  }

  Path tmpDir() {
    return root.resolve(TMP_DIR);
  }

  Path lockFile() {
    return root.resolve(LOCK_FILE);
  }

  Path chunkFile(ChunkHash hash) {
    String hex = hash.hex();
    return root.resolve(hex.substring(0, 2)).resolve(hex.substring(2, 4)).resolve(hex);
  }

  /**
   * Up to {@code limit} chunk names strictly after {@code after} (null: from the first), ascending.
   * Only files whose names are well-formed and sit in the directory their name belongs to count, so
   * temp files and strays are never listed. Costs a directory read per fan-out directory visited.
   */
  List<ChunkHash> list(ChunkHash after, int limit) throws IOException {
    String afterHex = after == null ? null : after.hex();
    String after1 = afterHex == null ? null : afterHex.substring(0, 2);
    String after2 = afterHex == null ? null : afterHex.substring(2, 4);
    List<ChunkHash> out = new ArrayList<>(Math.min(limit, 1024));
    for (String level1 : sortedFanOutDirs(root, after1)) {
      Path dir1 = root.resolve(level1);
      String from2 = level1.equals(after1) ? after2 : null;
      for (String level2 : sortedFanOutDirs(dir1, from2)) {
        for (String name : sortedChunkNames(dir1.resolve(level2), level1 + level2)) {
          if (afterHex != null && name.compareTo(afterHex) <= 0) {
            continue;
          }
          out.add(ChunkHash.parse(name));
          if (out.size() == limit) {
            return out;
          }
        }
      }
    }
    return out;
  }

  /** Two-hex-digit subdirectories of {@code dir} not before {@code from} (null: all), sorted. */
  private static List<String> sortedFanOutDirs(Path dir, String from) throws IOException {
    List<String> names = new ArrayList<>();
    for (Path p : entries(dir)) {
      String name = p.getFileName().toString();
      if (name.length() == 2
          && isLowerHex(name)
          && (from == null || name.compareTo(from) >= 0)
          && Files.isDirectory(p)) {
        names.add(name);
      }
    }
    names.sort(null);
    return names;
  }

  /** Well-formed chunk names in {@code dir} that begin with its fan-out prefix, sorted. */
  private static List<String> sortedChunkNames(Path dir, String prefix) throws IOException {
    List<String> names = new ArrayList<>();
    for (Path p : entries(dir)) {
      String name = p.getFileName().toString();
      if (name.length() == HEX_LENGTH && name.startsWith(prefix) && isLowerHex(name)) {
        names.add(name);
      }
    }
    names.sort(null);
    return names;
  }

  private static List<Path> entries(Path dir) throws IOException {
    List<Path> entries = new ArrayList<>();
    try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
      stream.forEach(entries::add);
    } catch (NoSuchFileException e) {
      // A directory removed between reading its parent and opening it holds no chunks.
    }
    return entries;
  }

  private static boolean isLowerHex(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
        return false;
      }
    }
    return true;
  }
}
