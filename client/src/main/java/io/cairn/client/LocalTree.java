package io.cairn.client;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The synced folder on disk: one walk gives every file and folder with its size and mtime, under
 * the path the server would give it (relative to the folder, names in Unicode NFC as the server
 * keeps them). The index's own folder is never part of it; symbolic links and special files are
 * skipped and named.
 */
final class LocalTree {
  /** One file or folder on disk. {@code mtime} in milliseconds. */
  record Local(Path file, boolean folder, long size, long mtime) {}

  final Map<String, Local> entries = new HashMap<>();
  final List<String> skipped = new ArrayList<>();
  /**
   * Paths whose content the walk could not see (an unreadable folder, a link or special file): not
   * gone, unknown. A run leaves them and everything below them alone on both sides.
   */
  final java.util.Set<String> unknown = new java.util.HashSet<>();

  private LocalTree() {}

  static LocalTree scan(Path root) throws IOException {
    LocalTree tree = new LocalTree();
    Files.walkFileTree(root, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
        if (dir.equals(root)) {
          return FileVisitResult.CONTINUE;
        }
        if (dir.getParent().equals(root) && dir.getFileName().toString().equals(Index.DIR)) {
          return FileVisitResult.SKIP_SUBTREE;
        }
        tree.add(root, dir, attrs);
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
        tree.add(root, file, attrs);
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFileFailed(Path file, IOException e) {
        if (!(e instanceof NoSuchFileException)) { // gone while walking: the next scan will see
          tree.skipped.add(file + ": cannot read (" + e.getMessage() + "); left alone on both sides");
          tree.unknown.add(relative(root, file));
        }
        return FileVisitResult.CONTINUE;
      }
    });
    return tree;
  }

  private void add(Path root, Path file, BasicFileAttributes attrs) {
    if (!attrs.isRegularFile() && !attrs.isDirectory()) {
      skipped.add(file + ": not a regular file or folder (links are not followed); left alone on both sides");
      unknown.add(relative(root, file));
      return;
    }
    String rel = relative(root, file);
    if (entries.containsKey(rel)) {
      skipped.add(file + ": its name, in Unicode NFC, is that of another file here (" + entries.get(rel).file() + ")");
      return;
    }
    entries.put(rel, new Local(file, attrs.isDirectory(), attrs.isDirectory() ? 0 : attrs.size(), attrs.lastModifiedTime().toMillis()));
  }

  /** The server path of {@code file} below {@code root}: {@code /a/b}, NFC. */
  static String relative(Path root, Path file) {
    StringBuilder out = new StringBuilder();
    for (Path part : root.relativize(file)) {
      out.append('/').append(Normalizer.normalize(part.toString(), Normalizer.Form.NFC));
    }
    return out.length() == 0 ? "/" : out.toString();
  }

  /** The file or folder at {@code file} now; null when nothing (or something else) is there. */
  static Local stat(Path file) {
    try {
      BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      if (!a.isRegularFile() && !a.isDirectory()) {
        return null;
      }
      return new Local(file, a.isDirectory(), a.isDirectory() ? 0 : a.size(), a.lastModifiedTime().toMillis());
    } catch (IOException e) {
      return null;
    }
  }
}
