package io.cairn.files;

import io.cairn.core.CairnException;
import io.cairn.storage.Journal;
import io.cairn.storage.PropertyChange;
import io.cairn.storage.PropertyName;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Locale;

/**
 * The whole-file digests that WebDAV sync clients compare (ownCloud's and Nextcloud's
 * {@code oc:checksums}, rclone's {@code check}), as lowercase hex. Cairn's own content hash is over
 * the chunks' hashes, not the bytes, so no client can compute it; these are computed while a body
 * streams through the chunker ({@link ContentUpload}).
 *
 * <p>They are stored as a dead property in a namespace no client can read or write
 * ({@link #INTERNAL_NAMESPACE}), with the content hash they were computed for as the first word of
 * the value. Dead properties survive overwrites, moves and copies, so a stored value may outlive
 * its content: {@link #decode} then answers null, and a digest of older content is never shown for
 * newer content. No schema change was needed for this; the cost is one property row per file.
 *
 * @param sha1 SHA-1 of the whole content, 40 hex digits
 * @param md5 MD5 of the whole content, 32 hex digits
 */
public record ContentDigests(String sha1, String md5) {
  /** The XML namespace of properties the server keeps for itself: hidden from PROPFIND, refused by PROPPATCH. */
  public static final String INTERNAL_NAMESPACE = "urn:io.cairn:internal";

  /** The dead property holding a file's digests. */
  static final PropertyName PROPERTY = new PropertyName(INTERNAL_NAMESPACE, "content-digests");

  private static final System.Logger LOG = System.getLogger(ContentDigests.class.getName());

  public ContentDigests {
    if (!isHex(sha1, 40) || !isHex(md5, 32)) {
      throw new IllegalArgumentException("a SHA-1 of 40 and an MD5 of 32 lowercase hex digits");
    }
  }

  /** Whether {@code name} is one only the server may set (any name in {@link #INTERNAL_NAMESPACE}). */
  public static boolean isInternal(PropertyName name) {
    return INTERNAL_NAMESPACE.equals(name.namespace());
  }

  /** {@code props} without the internal ones, which no client sees. */
  public static Map<PropertyName, String> visible(Map<PropertyName, String> props) {
    int internal = 0;
    for (PropertyName name : props.keySet()) {
      internal += isInternal(name) ? 1 : 0;
    }
    if (internal == 0) {
      return props;
    }
    if (internal == props.size()) {
      return Map.of();  // most files: their digests and nothing else, once per child of a PROPFIND
    }
    Map<PropertyName, String> visible = new java.util.LinkedHashMap<>(props);
    visible.keySet().removeIf(ContentDigests::isInternal);
    return visible;
  }

  /** ownCloud's {@code oc:checksum} text: {@code SHA1:<hex> MD5:<hex>}. */
  public String ocChecksums() {
    return "SHA1:" + sha1 + " MD5:" + md5;
  }

  /**
   * Whether a client's claimed digest of type {@code type} ({@code SHA1} or {@code MD5}, any case)
   * equals this one; null when the type is not one computed here (ownCloud clients also know
   * ADLER32), so the caller can neither confirm nor refute it.
   */
  public Boolean matches(String type, String hex) {
    String mine = switch (type.toUpperCase(Locale.ROOT)) {
      case "SHA1" -> sha1;
      case "MD5" -> md5;
      default -> null;
    };
    return mine == null ? null : mine.equalsIgnoreCase(hex);
  }

  /**
   * Stores these digests of {@code contentHash} with the unchanged file at {@code p} (whose
   * content may have been committed without them), unless they are there; a new version carries
   * its digests in its own commit instead ({@code Change.Put#properties}). A failure here loses
   * only the digests (the file then shows no checksum), and a racing overwrite leaves at worst
   * digests of another content, which {@link #decode} never shows for the new one.
   */
  void recordFor(Journal journal, FilePath p, String contentHash) {
    String value = encode(contentHash);
    try {
      if (!value.equals(Await.result(journal.properties(p.ns(), p.path())).get(PROPERTY))) {
        Await.result(journal.patchProperties(p.ns(), p.path(), List.of(new PropertyChange(PROPERTY, value))));
      }
    } catch (CairnException e) {
      LOG.log(System.Logger.Level.WARNING, "digests of " + p.path() + " not recorded: " + e.getMessage());
    }
  }

  /** The stored property value: the content hash these digests belong to, then the digests. */
  String encode(String contentHash) {
    return contentHash + " " + ocChecksums();
  }

  /** The digests a stored {@code value} holds for {@code contentHash}; null when absent, malformed or for other content. */
  static ContentDigests decode(String value, String contentHash) {
    if (value == null || contentHash == null) {
      return null;
    }
    String[] words = value.split(" ");
    if (words.length != 3 || !words[0].equals(contentHash)
        || !words[1].startsWith("SHA1:") || !words[2].startsWith("MD5:")) {
      return null;
    }
    String sha1 = words[1].substring(5);
    String md5 = words[2].substring(4);
    return isHex(sha1, 40) && isHex(md5, 32) ? new ContentDigests(sha1, md5) : null;
  }

  static ContentDigests of(byte[] sha1, byte[] md5) {
    return new ContentDigests(HexFormat.of().formatHex(sha1), HexFormat.of().formatHex(md5));
  }

  private static boolean isHex(String s, int length) {
    if (s == null || s.length() != length) {
      return false;
    }
    for (int i = 0; i < length; i++) {
      char c = s.charAt(i);
      if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
        return false;
      }
    }
    return true;
  }

  /** The digests recorded for the content {@code contentHash} of the file at {@code p}; null when none. */
  static ContentDigests recorded(io.cairn.storage.Journal journal, FilePath p, String contentHash) {
    String value = Await.result(journal.properties(p.ns(), p.path())).get(PROPERTY);
    return decode(value, contentHash);
  }
}
