package io.cairn.webdav.props;

import io.cairn.storage.PropertyName;
import io.cairn.storage.TrashItem;
import io.cairn.webdav.xml.Xml;
import java.util.List;
import java.util.function.Function;

/**
 * Nextcloud's properties of a deleted file or folder in its trash bin ({@code
 * /remote.php/dav/trashbin/USER/trash/}): {@code nc:trashbin-filename}, {@code
 * nc:trashbin-original-location} (the path it had, without the leading slash) and {@code
 * nc:trashbin-deletion-time} (Unix seconds), and {@code nc:version-author} of a version in its
 * versions folder. Reported for what a {@link Deleted} context describes; elsewhere unknown (404
 * in the propstat). Not in allprop.
 */
public final class TrashProperties {
  /** Nextcloud's XML namespace. */
  public static final String NC = "http://nextcloud.org/ns";

  private TrashProperties() {}

  /** A context that shows a removal from the trash. */
  public interface Deleted extends PropertyContext {
    /** The removal. */
    TrashItem item();

    /** The path the item had, in the caller's view. */
    String originalLocation();
  }

  /** A context that shows one version of a file. */
  public interface Version extends PropertyContext {
    /** Who wrote it; null when unknown. */
    String author();
  }

  public static List<LiveProperty> all() {
    return List.of(
        deleted("trashbin-filename", d -> Xml.text(io.cairn.core.TreePaths.name(d.item().path()))),
        deleted("trashbin-original-location", d -> Xml.text(d.originalLocation().substring(1))),
        deleted("trashbin-deletion-time", d -> Long.toString(d.item().at().getEpochSecond())),
        LiveProperty.of(new PropertyName(NC, "version-author"), false,
            c -> c instanceof Version v && v.author() != null ? Xml.text(v.author()) : null));
  }

  private static LiveProperty deleted(String name, Function<Deleted, String> value) {
    return LiveProperty.of(new PropertyName(NC, name), false, c -> c instanceof Deleted d && d.item() != null ? value.apply(d) : null);
  }
}
