package io.cairn.webdav.props;

import io.cairn.files.Caller;
import io.cairn.files.ContentDigests;
import io.cairn.files.FilePath;
import io.cairn.files.FileService;
import io.cairn.storage.Entry;
import io.cairn.storage.EntryMetadata;
import io.cairn.storage.PropertyName;
import io.cairn.webdav.DavException;
import io.cairn.webdav.xml.Xml;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The ownCloud/Nextcloud WebDAV extensions that sync tools (rclone's {@code owncloud} and {@code
 * nextcloud} vendors, the ownCloud desktop client) use to keep modification times and compare
 * hashes, as rclone's webdav backend reads and writes them:
 *
 * <ul>
 *   <li>{@code oc:checksums} ({@code http://owncloud.org/ns}): {@code
 *       <oc:checksum>SHA1:<hex> MD5:<hex></oc:checksum>}, the whole-file digests recorded for the
 *       file's current content ({@link ContentDigests}); absent when none were. A PROPPATCH may
 *       send back the same digests (rclone does, with the mtime): accepted, changing nothing; any
 *       other value is refused, the digests being the server's.
 *   <li>{@code D:lastmodified} (no "get"): the mtime in Unix seconds; a PROPPATCH of it sets a
 *       file's mtime ({@link FileService#setMtime}).
 *   <li>{@code oc:permissions}: ownCloud's letters for what the caller may do: {@code S} on a
 *       shared folder's root (rclone's {@code --owncloud-exclude-shares} skips those), and where
 *       the caller may write, {@code DNVW} on a file and {@code DNVCK} on a folder (delete,
 *       rename, move, write; create files, create folders). No {@code R}: nothing is re-shared.
 *       Computed from the caller, so a listing that asks for it reads no dead properties.
 *   <li>{@code oc:fileid} and {@code oc:id}: the entry's file id ({@link Entry#fileId}), kept
 *       across renames and moves, which the Nextcloud client uses to tell a move on the server from
 *       a delete and a new file; {@code oc:id} is Nextcloud's spelling of it ({@link #ocId}).
 *   <li>{@code oc:size}: a folder's bytes, everything below it included ({@link Entry#treeSize}).
 * </ul>
 *
 * Neither is in allprop (RFC 4918 §9.1): they are reported only when asked for by name.
 */
public final class OwnCloudProperties {
  /** ownCloud's XML namespace. */
  public static final String OC = "http://owncloud.org/ns";
  /** The instance part of {@link #ocId}. */
  static final String INSTANCE = "occairn";

  private static final Pattern TAGS = Pattern.compile("<[^>]*>");
  private static final Pattern UNIX_TIME = Pattern.compile("-?[0-9]{1,12}(\\.[0-9]{1,9})?");
  /** 0001-01-01 and 9999-12-31T23:59:59Z: what an HTTP date can show. */
  private static final long MIN_SECONDS = -62135596800L;
  private static final long MAX_SECONDS = 253402300799L;

  private OwnCloudProperties() {}

  /** The properties, for the site's registry. */
  public static List<LiveProperty> all() {
    return List.of(
        new Checksums(),
        new LastModified(),
        LiveProperty.of(new PropertyName(OC, "permissions"), false, OwnCloudProperties::permissions),
        LiveProperty.of(new PropertyName(OC, "fileid"), false,
            c -> c.entry().fileId() > 0 ? Long.toString(c.entry().fileId()) : null),
        LiveProperty.of(new PropertyName(OC, "id"), false, c -> c.entry().fileId() > 0 ? ocId(c.entry()) : null),
        LiveProperty.of(new PropertyName(OC, "size"), false, OwnCloudProperties::size));
  }

  /**
   * The {@code oc:id} and {@code OC-FileId} of an entry: its file id, zero-padded to eight digits as
   * Nextcloud writes it, and the instance id Nextcloud appends ({@value #INSTANCE}, the same on
   * every node of a cluster, which shares the journal and so the ids).
   */
  public static String ocId(EntryMetadata e) {
    return String.format("%08d", e.fileId()) + INSTANCE;
  }

  /** A folder's bytes with everything below it (its shared folders too, for a home's root); a file's size. */
  private static long sizeOf(PropertyContext c) {
    long size = c.entry().isDirectory() ? c.entry().treeSize() : c.entry().size();
    if (c.entry().isDirectory()) {
      for (Caller.Share share : c.caller().sharesIn(c.path())) {
        size += c.files().usage(c.caller(), share.ns()).usedBytes();
      }
    }
    return size;
  }

  private static String size(PropertyContext c) {
    return Long.toString(sizeOf(c));
  }

  /**
   * An mtime given in Unix seconds, whole or fractional ({@code X-OC-Mtime}, {@code lastmodified}),
   * to the millisecond. A value that is not such a number, or outside the years 1-9999, is a 400.
   */
  public static Instant unixTime(String value) {
    String v = value == null ? "" : value.trim();
    if (!UNIX_TIME.matcher(v).matches()) {
      throw DavException.badRequest("a modification time must be Unix seconds, such as 1700000000");
    }
    BigDecimal seconds = new BigDecimal(v);
    if (seconds.compareTo(BigDecimal.valueOf(MIN_SECONDS)) < 0 || seconds.compareTo(BigDecimal.valueOf(MAX_SECONDS)) > 0) {
      throw DavException.badRequest("a modification time must be between the years 1 and 9999");
    }
    return Instant.ofEpochMilli(seconds.movePointRight(3).longValue());
  }

  private static String permissions(PropertyContext c) {
    return permissions(c.caller(), c.path(), c.entry());
  }

  /** {@code oc:permissions} of the entry {@code e} at {@code p} (also the {@code OC-Perm} header). */
  public static String permissions(Caller caller, FilePath p, EntryMetadata e) {
    boolean shareRoot = p.isRoot() && caller.shareOf(p.ns()) != null;
    String mine = !caller.canWrite(p.ns()) ? "" : e.isDirectory() ? "DNVCK" : "DNVW";
    return (shareRoot ? "S" : "") + mine;
  }

  /** A property's XML content reduced to its text, whitespace-separated words. */
  private static String[] words(String xml) {
    String text = TAGS.matcher(xml == null ? "" : xml).replaceAll(" ").trim();
    return text.isEmpty() ? new String[0] : text.split("\\s+");
  }

  private static final class Checksums implements SettableProperty {
    private static final PropertyName NAME = new PropertyName(OC, "checksums");

    @Override
    public PropertyName name() {
      return NAME;
    }

    @Override
    public boolean inAllprop() {
      return false;
    }

    @Override
    public String value(PropertyContext c) {
      ContentDigests d = c.files().digests(c.caller(), c.path(), c.entry());
      return d == null ? null : "<oc:checksum xmlns:oc=\"" + OC + "\">" + Xml.text(d.ocChecksums()) + "</oc:checksum>";
    }

    @Override
    public String refusal(FileService files, Caller caller, FilePath path, Entry entry, String value) {
      ContentDigests mine = files.digests(caller, path, entry);
      String[] claimed = words(value);
      boolean same = mine != null && claimed.length > 0;
      for (String word : claimed) {
        int colon = word.indexOf(':');
        same &= colon > 0 && Boolean.TRUE.equals(mine.matches(word.substring(0, colon), word.substring(colon + 1)));
      }
      return same ? null : "checksums are computed by the server";
    }

    @Override
    public void apply(FileService files, Caller caller, FilePath path, Entry entry, String value) {
      // The same digests the server holds: nothing to change.
    }
  }

  private static final class LastModified implements SettableProperty {
    private static final PropertyName NAME = new PropertyName(LiveProperties.DAV, "lastmodified");

    @Override
    public PropertyName name() {
      return NAME;
    }

    @Override
    public boolean inAllprop() {
      return false;
    }

    @Override
    public String value(PropertyContext c) {
      return c.entry().mtime() == null ? null : Long.toString(c.entry().mtime().getEpochSecond());
    }

    @Override
    public String refusal(FileService files, Caller caller, FilePath path, Entry entry, String value) {
      if (entry.isDirectory()) {
        return "the modification time of a folder cannot be set";
      }
      String[] w = words(value);
      if (w.length != 1) {
        return "lastmodified must be Unix seconds";
      }
      try {
        unixTime(w[0]);
        return null;
      } catch (DavException e) {
        return e.getMessage();
      }
    }

    @Override
    public void apply(FileService files, Caller caller, FilePath path, Entry entry, String value) {
      files.setMtime(caller, path, unixTime(words(value)[0]));
    }
  }
}
