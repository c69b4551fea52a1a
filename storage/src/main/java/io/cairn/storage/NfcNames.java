package io.cairn.storage;

import io.cairn.core.CairnException;
import io.cairn.core.TreePaths;
import io.vertx.core.Future;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The start-up step that brings names stored before the WebDAV front normalized them to NFC
 * (docs/names.md). The front decodes every name to Unicode normalization form C, so an entry
 * whose path is not NFC can no longer be reached; this step moves it to its NFC name with an
 * ordinary journal MOVE authored by {@value #AUTHOR}, so history shows the rename and dead
 * properties and a folder's children move along.
 *
 * <p>Where the NFC name is already taken (the same name was written once from macOS in NFD and
 * once from Windows in NFC), nothing is merged: the entry moves to a free, marked NFC name, {@code
 * café (unicode-duplicate 1).txt} (the number counts up until the name is free; a folder gets no
 * extension split), and one WARN line names the namespace and both paths.
 *
 * <p>It runs once per database: a journal that records {@value #STEP} done ({@link
 * Journal#maintenanceDone}) costs one lookup at start. Run again after an interruption it picks
 * up where it stopped, since a moved entry is NFC and no longer a candidate. Several nodes
 * starting at once may both run it; a source another node moved first is skipped.
 */
public final class NfcNames {
  /** The maintenance step's name in {@link Journal#recordMaintenanceDone}. */
  public static final String STEP = "nfc-names";
  /** The author of the journal rows the step writes. */
  public static final String AUTHOR = "cairn";

  private static final Logger LOG = LoggerFactory.getLogger(NfcNames.class);
  private static final int PAGE = 1000;

  private final Journal journal;
  /** Per namespace, the renames done so far: original path to where the entry lives now. */
  private final Map<String, Map<String, String>> moved = new LinkedHashMap<>();
  private int renamed;
  private int collisions;

  private NfcNames(Journal journal) {
    this.journal = journal;
  }

  /**
   * What a run did.
   *
   * @param renamed entries moved to their NFC name
   * @param collisions entries whose NFC name was taken, moved to a marked name instead
   */
  public record Report(int renamed, int collisions) {}

  /**
   * Renames every entry of every namespace whose name is not NFC, unless the journal records
   * this step done; then records it done. Fails with the journal's failure when a scan or a move
   * fails for any other reason than the source being gone, and records nothing then, so the next
   * start tries again.
   */
  public static Future<Report> migrate(Journal journal) {
    return journal
        .maintenanceDone(STEP)
        .compose(
            done -> {
              if (done) {
                return Future.succeededFuture(new Report(0, 0));
              }
              NfcNames run = new NfcNames(journal);
              return run.scan(null, new ArrayList<>())
                  .compose(run::renameAll)
                  .compose(v -> journal.recordMaintenanceDone(STEP))
                  .map(v -> run.report());
            });
  }

  /** Whether every segment of {@code path} is in NFC. */
  public static boolean isNfc(String path) {
    return Normalizer.isNormalized(path, Normalizer.Form.NFC);
  }

  private Report report() {
    if (renamed + collisions > 0) {
      LOG.info(
          "Unicode names: {} entries renamed to NFC, {} kept under a unicode-duplicate name",
          renamed,
          collisions);
    }
    return new Report(renamed, collisions);
  }

  /**
   * Every non-NFC path, in namespace and then code point order, so that a folder comes before
   * what it holds. Read in full before anything moves: a move would shift the scan under it.
   */
  private Future<List<NamespacedPath>> scan(NamespacedPath after, List<NamespacedPath> found) {
    return journal
        .nonAsciiPaths(after, PAGE)
        .compose(
            page -> {
              for (NamespacedPath p : page) {
                if (!isNfc(p.path())) {
                  found.add(p);
                }
              }
              return page.size() < PAGE
                  ? Future.succeededFuture(found)
                  : scan(page.getLast(), found);
            });
  }

  private Future<Void> renameAll(List<NamespacedPath> candidates) {
    Future<Void> chain = Future.succeededFuture();
    for (NamespacedPath p : candidates) {
      chain = chain.compose(v -> rename(p.ns(), p.path()));
    }
    return chain;
  }

  /** Moves the entry first stored at {@code original} to its NFC name, or a marked one. */
  private Future<Void> rename(String ns, String original) {
    String current = whereNow(ns, original);
    String name = TreePaths.name(current);
    String nfcName = Normalizer.normalize(name, Normalizer.Form.NFC);
    if (nfcName.equals(name)) {
      return Future.succeededFuture(); // only a folder above it was not NFC; it moved along
    }
    String parent = TreePaths.parent(current);
    String target = TreePaths.child(parent, nfcName);
    return journal
        .entry(ns, current)
        .compose(
            source -> {
              if (source == null) {
                return Future.succeededFuture(); // gone since the scan (another node moved it)
              }
              return journal
                  .entry(ns, target)
                  .compose(
                      taken -> {
                        if (taken == null) {
                          return move(ns, original, current, target)
                              .<Void>map(
                                  done -> {
                                    renamed += done ? 1 : 0;
                                    return null;
                                  });
                        }
                        return freeDuplicateName(ns, parent, nfcName, source.isDirectory(), 1)
                            .compose(
                                duplicate -> {
                                  LOG.warn(
                                      "Unicode name collision in namespace {}: {} ({}) and the"
                                          + " existing {} ({}) are one name in NFC; kept the"
                                          + " first as {}",
                                      ns,
                                      current,
                                      escaped(current),
                                      target,
                                      escaped(target),
                                      duplicate);
                                  return move(ns, original, current, duplicate);
                                })
                            .<Void>map(
                                done -> {
                                  collisions += done ? 1 : 0;
                                  return null;
                                });
                      });
            });
  }

  /** True when moved; false when the source was gone (another node moved it first). */
  private Future<Boolean> move(String ns, String original, String from, String to) {
    return journal
        .commit(ns, new Change.Move(from, to, false, Expect.ANY), AUTHOR)
        .map(
            row -> {
              moved.computeIfAbsent(ns, k -> new LinkedHashMap<>()).put(original, to);
              return true;
            })
        .recover(
            err ->
                err instanceof CairnException e && e.kind() == CairnException.Kind.NOT_FOUND
                    ? Future.succeededFuture(false)
                    : Future.failedFuture(err));
  }

  /**
   * Where the entry first stored at {@code original} lives now: below the deepest folder above
   * it that this run moved (folders come first in the scan's order), else where it was.
   */
  private String whereNow(String ns, String original) {
    String from = null;
    for (String ancestor : moved.getOrDefault(ns, Map.of()).keySet()) {
      if (!ancestor.equals(original)
          && TreePaths.isSameOrBelow(original, ancestor)
          && (from == null || ancestor.length() > from.length())) {
        from = ancestor;
      }
    }
    return from == null ? original : TreePaths.rebase(original, from, moved.get(ns).get(from));
  }

  /** The first of {@code café (unicode-duplicate n).txt}, n = 1, 2, ..., that is free. */
  private Future<String> freeDuplicateName(
      String ns, String parent, String nfcName, boolean directory, int n) {
    String candidate = TreePaths.child(parent, duplicateName(nfcName, directory, n));
    return journal
        .entry(ns, candidate)
        .compose(
            e ->
                e == null
                    ? Future.succeededFuture(candidate)
                    : freeDuplicateName(ns, parent, nfcName, directory, n + 1));
  }

  /** {@code path} with every character outside ASCII as a Java escape: tells NFD from NFC apart. */
  static String escaped(String path) {
    StringBuilder out = new StringBuilder(path.length() + 16);
    for (int i = 0; i < path.length(); i++) {
      char c = path.charAt(i);
      if (c < 0x80) {
        out.append(c);
      } else {
        out.append(String.format("\\u%04x", (int) c));
      }
    }
    return out.toString();
  }

  /**
   * {@code name} marked as the {@code n}th Unicode duplicate: the marker goes before a file's
   * extension (its last dot, unless the name starts with it), and the stem is shortened when the
   * whole would pass {@link TreePaths#MAX_SEGMENT}.
   */
  static String duplicateName(String nfcName, boolean directory, int n) {
    int dot = directory ? -1 : nfcName.lastIndexOf('.');
    String stem = dot > 0 ? nfcName.substring(0, dot) : nfcName;
    String extension = dot > 0 ? nfcName.substring(dot) : "";
    String marker = " (unicode-duplicate " + n + ")";
    int room = TreePaths.MAX_SEGMENT - marker.length() - extension.length();
    if (room < 1) {
      extension = "";
      room = TreePaths.MAX_SEGMENT - marker.length();
    }
    if (stem.length() > room) {
      int cut = room;
      if (Character.isLowSurrogate(stem.charAt(cut))) {
        cut--;
      }
      stem = Normalizer.normalize(stem.substring(0, cut), Normalizer.Form.NFC);
    }
    return stem + marker + extension;
  }
}
