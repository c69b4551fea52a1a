package io.cairn.files;

import io.cairn.core.CairnException;
import io.cairn.storage.Journal;
import io.cairn.storage.PropertyChange;
import io.cairn.storage.PropertyName;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

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
 * <p>Which digests are computed is the operator's choice ({@code upload.digests}, by default SHA-1
 * only, as Nextcloud; {@link DigestType}); a PUT whose {@code OC-Checksum} names another type gets
 * that one computed too, so that it can be checked.
 *
 * @param sha1 SHA-1 of the whole content, 40 hex digits; null when not computed
 * @param md5 MD5 of the whole content, 32 hex digits; null when not computed
 */
public record ContentDigests(String sha1, String md5) {
  /** The XML namespace of properties the server keeps for itself: hidden from PROPFIND, refused by PROPPATCH. */
  public static final String INTERNAL_NAMESPACE = "urn:io.cairn:internal";

  /** The dead property holding a file's digests. */
  static final PropertyName PROPERTY = new PropertyName(INTERNAL_NAMESPACE, "content-digests");

  private static final System.Logger LOG = System.getLogger(ContentDigests.class.getName());

  public ContentDigests {
    if (sha1 == null && md5 == null || sha1 != null && !isHex(sha1, 40) || md5 != null && !isHex(md5, 32)) {
      throw new IllegalArgumentException("a SHA-1 of 40 or an MD5 of 32 lowercase hex digits, or both");
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

  /** ownCloud's {@code oc:checksum} text: {@code SHA1:<hex> MD5:<hex>}, of those computed. */
  public String ocChecksums() {
    return sha1 == null ? "MD5:" + md5 : md5 == null ? "SHA1:" + sha1 : "SHA1:" + sha1 + " MD5:" + md5;
  }

  /** The digest of {@code type}; null when it was not computed. */
  public String of(DigestType type) {
    return switch (type) {
      case SHA1 -> sha1;
      case MD5 -> md5;
    };
  }

  /** These digests with those of {@code other} that these lack (both of the same content). */
  ContentDigests with(ContentDigests other) {
    return other == null ? this : new ContentDigests(sha1 != null ? sha1 : other.sha1, md5 != null ? md5 : other.md5);
  }

  /**
   * Whether a client's claimed digest of type {@code type} ({@code SHA1} or {@code MD5}, any case)
   * equals this one; null when that type was not computed (ownCloud clients also know ADLER32),
   * so the caller can neither confirm nor refute it.
   */
  public Boolean matches(String type, String hex) {
    DigestType t = DigestType.named(type);
    String mine = t == null ? null : of(t);
    return mine == null ? null : mine.equalsIgnoreCase(hex);
  }

  /**
   * Stores these digests of {@code contentHash} with the unchanged file at {@code p} (whose
   * content may have been committed without them), unless they are there; a new version carries
   * its digests in its own commit instead ({@code Change.Put#properties}). A failure here loses
   * only the digests (the file then shows no checksum), and a racing overwrite leaves at worst
   * digests of another content, which {@link #decode} never shows for the new one. Digests of the
   * same content recorded earlier and not computed now (an MD5 computed when the server still
   * did) are kept.
   */
  void recordFor(Journal journal, FilePath p, String contentHash) {
    try {
      String stored = Await.result(journal.properties(p.ns(), p.path())).get(PROPERTY);
      String value = with(decode(stored, contentHash)).encode(contentHash);
      if (!value.equals(stored)) {
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
    if (words.length < 2 || words.length > 3 || !words[0].equals(contentHash)) {
      return null;
    }
    String sha1 = null;
    String md5 = null;
    for (int i = 1; i < words.length; i++) {
      if (words[i].startsWith("SHA1:") && sha1 == null) {
        sha1 = words[i].substring(5);
      } else if (words[i].startsWith("MD5:") && md5 == null) {
        md5 = words[i].substring(4);
      } else {
        return null;
      }
    }
    return (sha1 == null || isHex(sha1, 40)) && (md5 == null || isHex(md5, 32)) ? new ContentDigests(sha1, md5) : null;
  }

  /** From raw digests, each null when not computed. */
  static ContentDigests of(byte[] sha1, byte[] md5) {
    HexFormat hex = HexFormat.of();
    return new ContentDigests(sha1 == null ? null : hex.formatHex(sha1), md5 == null ? null : hex.formatHex(md5));
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
