package io.cairn.webdav.props;

import io.cairn.files.FileService;
import io.cairn.core.ContentHash;
import io.cairn.storage.Entry;
import io.cairn.storage.EntryMetadata;
import io.cairn.storage.PropertyName;
import io.cairn.webdav.ContentTypes;
import io.cairn.webdav.UrlBase;
import io.cairn.files.Caller;
import io.cairn.webdav.xml.Xml;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The registry of live properties, in the order allprop reports them: the RFC 4918 §15 ones, the
 * RFC 4331 quotas, and whatever other parts add ({@link #with}). A PROPPATCH may not set or remove
 * any of them (403, cannot-modify-protected-property).
 */
public final class LiveProperties {
  public static final String DAV = "DAV:";
  private static final DateTimeFormatter RFC_1123 =
      DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);

  private final Map<PropertyName, LiveProperty> byName;

  private LiveProperties(Map<PropertyName, LiveProperty> byName) {
    this.byName = byName;
  }

  /** The standard live properties, with quotas answered by {@code files}. */
  public static LiveProperties standard(FileService files) {
    List<LiveProperty> list = new ArrayList<>();
    // Dates are written without escaping: digits, letters, spaces and ",:+-" only.
    SecondFormat created = new SecondFormat(LiveProperties::isoDate);
    SecondFormat modified = new SecondFormat(LiveProperties::httpDate);
    list.add(prop("creationdate", true, c -> created.format(c.entry().created())));
    list.add(prop("displayname", true, c -> Xml.text(displayName(c))));
    list.add(prop("getcontentlength", true, c -> file(c.entry()) ? Long.toString(c.entry().size()) : null));
    list.add(prop("getcontenttype", true, c -> file(c.entry()) ? Xml.text(ContentTypes.guess(c.entry().name())) : null));
    list.add(prop("getetag", true, c -> {
      String tag = etag(c);
      return tag == null ? null : Xml.text(tag);
    }));
    list.add(prop("getlastmodified", true, c -> modified.format(c.entry().mtime())));
    list.add(prop("resourcetype", true, c -> c.entry().isDirectory() ? "<D:collection/>" : ""));
    list.add(
        prop(
            "quota-used-bytes",
            false,
            c -> c.entry().isDirectory() ? Long.toString(c.namespaceInfo().usedBytes()) : null));
    list.add(
        prop(
            "quota-available-bytes",
            false,
            c -> {
              if (!c.entry().isDirectory()) {
                return null;
              }
              long available = files.availableBytes(c.caller(), c.path().ns(), c.namespaceInfo().usedBytes());
              return available < 0 ? null : Long.toString(available);
            }));
    return new LiveProperties(new LinkedHashMap<>()).with(list);
  }

  /** A registry with {@code more} added after these (replacing any of the same name). */
  public LiveProperties with(Collection<? extends LiveProperty> more) {
    Map<PropertyName, LiveProperty> copy = new LinkedHashMap<>(byName);
    for (LiveProperty p : more) {
      copy.put(p.name(), p);
    }
    return new LiveProperties(copy);
  }

  /** The live property of that name, or null when it is not live. */
  public LiveProperty get(PropertyName name) {
    return byName.get(name);
  }

  /** All live properties, in registry order. */
  public Collection<LiveProperty> all() {
    return byName.values();
  }

  /**
   * IMF-fixdate (RFC 9110 §5.6.7), as HTTP headers and getlastmodified use: {@code Sun, 06 Nov
   * 1994 08:49:37 GMT}, with a two-digit day where RFC_1123_DATE_TIME writes one. Written by hand
   * for the years 1000-9999: DateTimeFormatter cost about a tenth of a large PROPFIND's CPU.
   */
  public static String httpDate(Instant t) {
    Instant at = t == null ? Instant.EPOCH : t;
    LocalDateTime d = LocalDateTime.ofEpochSecond(at.getEpochSecond(), 0, ZoneOffset.UTC);
    if (d.getYear() < 1000 || d.getYear() > 9999) {
      return RFC_1123.format(at.truncatedTo(ChronoUnit.SECONDS));
    }
    StringBuilder b = new StringBuilder(29);
    b.append(DAYS[d.getDayOfWeek().ordinal()]).append(", ");
    twoDigits(b, d.getDayOfMonth()).append(' ').append(MONTHS[d.getMonthValue() - 1]).append(' ');
    b.append(d.getYear()).append(' ');
    twoDigits(b, d.getHour()).append(':');
    twoDigits(b, d.getMinute()).append(':');
    return twoDigits(b, d.getSecond()).append(" GMT").toString();
  }

  private static final String[] DAYS = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
  private static final String[] MONTHS = {
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"
  };

  private static StringBuilder twoDigits(StringBuilder b, int n) {
    return b.append((char) ('0' + n / 10)).append((char) ('0' + n % 10));
  }

  /**
   * RFC 3339 date-time, as creationdate uses (RFC 4918 §15.1): {@code 1994-11-06T08:49:37Z}.
   * Written by hand for the years 1000-9999, as {@link #httpDate}: allprop asks it of every child.
   */
  public static String isoDate(Instant t) {
    Instant at = t == null ? Instant.EPOCH : t;
    LocalDateTime d = LocalDateTime.ofEpochSecond(at.getEpochSecond(), 0, ZoneOffset.UTC);
    if (d.getYear() < 1000 || d.getYear() > 9999) {
      return DateTimeFormatter.ISO_INSTANT.format(at.truncatedTo(ChronoUnit.SECONDS));
    }
    StringBuilder b = new StringBuilder(20).append(d.getYear()).append('-');
    twoDigits(b, d.getMonthValue()).append('-');
    twoDigits(b, d.getDayOfMonth()).append('T');
    twoDigits(b, d.getHour()).append(':');
    twoDigits(b, d.getMinute()).append(':');
    return twoDigits(b, d.getSecond()).append('Z').toString();
  }

  private static boolean file(EntryMetadata e) {
    return !e.isDirectory();
  }

  private static String displayName(PropertyContext c) {
    if (!c.path().isRoot()) {
      return c.entry().name();
    }
    Caller.Share share = c.caller().shareOf(c.path().ns());
    return share != null ? share.folder() : c.path().ns();
  }

  private static LiveProperty prop(String local, boolean inAllprop, Function<PropertyContext, String> value) {
    return LiveProperty.of(new PropertyName(DAV, local), inAllprop, value);
  }

  /**
   * A file's ETag (its content hash). Under the Nextcloud clients' URLs ({@link UrlBase}) also a
   * folder's, which changes whenever anything below it does: the newest commit in its subtree
   * ({@link io.cairn.storage.Entry#treeVersion}), and for a home's root that of each shared folder
   * shown in it; those clients skip a folder whose ETag they know. Not at the plain root, where
   * GET, If-Match and If headers know no folder ETag (RFC 4918 §15.6: getetag is the ETag a GET
   * would answer).
   */
  public static String etag(PropertyContext c) {
    if (file(c.entry())) {
      return c.entry().contentHash() == null ? null : ContentHash.etag(c.entry().contentHash());
    }
    if (!c.entry().isDirectory() || UrlBase.current() == null) {
      return null;
    }
    StringBuilder tag = new StringBuilder("\"d").append(c.entry().treeVersion());
    for (io.cairn.files.Caller.Share share : c.caller().sharesIn(c.path())) {
      tag.append('-').append(c.files().usage(c.caller(), share.ns()).lastJid());
    }
    return tag.append('"').toString();
  }
}
