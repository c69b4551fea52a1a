package io.cairn.webdav.views;

import io.cairn.core.CairnException;
import io.cairn.core.TreePaths;
import io.cairn.files.Caller;
import io.cairn.files.FilePath;
import io.cairn.files.FileService;
import io.cairn.storage.ChangeKind;
import io.cairn.storage.Entry;
import io.cairn.storage.EntryKind;
import io.cairn.storage.JournalRow;
import io.cairn.storage.TrashItem;
import java.util.ArrayList;
import java.util.List;

/**
 * The tree under {@code /.cairn/} of a caller's view, read-only:
 *
 * <ul>
 *   <li>{@code /.cairn/versions/} mirrors the folders of the view (shares as top-level folders, as
 *       everywhere): each folder there lists the current folder's children, every one of them as a
 *       folder; the folder of a file lists the file's versions, newest first, following renames
 *       ({@link FileService#history(Caller, FilePath, int, long)}), each a file named by {@link
 *       ViewNames#version} whose content, size, ETag and date are that version's. Only versions
 *       with content of their own are listed (a PUT, a restore; not a copy's).
 *   <li>{@code /.cairn/trash/} lists the newest {@value #TRASH_LIMIT} removals of the home (a
 *       delete, or a move or copy that replaced something), each named by {@link
 *       ViewNames#deleted}, and one folder per share listing that share's; a deleted file reads as
 *       it was, a deleted folder is browsable as it was ({@link FileService#trashed}).
 * </ul>
 *
 * Everything is read through {@link FileService} as the caller, so nothing outside their view is
 * ever found. {@code /.cairn/admin/} and {@code /.cairn/api/} are other fronts' (the server's edge
 * routes them before WebDAV) and are not views. Blocking; for the request's virtual thread.
 */
public final class CairnViews {
  /** The view path of the views' folder. */
  public static final String ROOT = "/.cairn";
  /** The newest removals a trash folder lists, and among which a trash name is looked up. */
  public static final int TRASH_LIMIT = 1000;
  /** The most versions a file's folder lists. */
  public static final int VERSION_LIMIT = 10_000;

  private static final String VERSIONS = "versions";
  private static final String TRASH = "trash";
  private static final int PAGE = 1000;

  private final FileService files;

  public CairnViews(FileService files) {
    this.files = files;
  }

  /** Whether the view path {@code viewPath} (decoded, normalized) lies in the views. */
  public static boolean contains(String viewPath) {
    return viewPath.equals(ROOT) || viewPath.startsWith(ROOT + "/");
  }

  /** The folder {@code /.cairn/} itself, as its parent lists it. */
  public ViewNode root() {
    return ViewNode.folder(ROOT, null, null, new ViewNode.Top());
  }

  /**
   * The node at {@code viewPath} (one that {@link #contains}) for {@code caller}, or null when
   * nothing is there for them.
   */
  public ViewNode resolve(Caller caller, String viewPath) {
    if (viewPath.equals(ROOT)) {
      return root();
    }
    String rest = viewPath.substring(ROOT.length() + 1);
    int slash = rest.indexOf('/');
    String view = slash < 0 ? rest : rest.substring(0, slash);
    String below = slash < 0 ? TreePaths.ROOT : rest.substring(slash);
    return switch (view) {
      case VERSIONS -> versions(caller, below);
      case TRASH -> trash(caller, below);
      default -> null;
    };
  }

  /** The members of the folder {@code node}, in no promised order; empty for a file. */
  public List<ViewNode> members(Caller caller, ViewNode node) {
    return switch (node.place()) {
      case ViewNode.Top t -> List.of(versions(caller, TreePaths.ROOT), trashFolder(ROOT + "/" + TRASH, caller.home()));
      case ViewNode.Mirror m -> mirrorMembers(caller, node.path(), m.dir());
      case ViewNode.Versions v -> versionMembers(caller, node.path(), v.file());
      case ViewNode.Version v -> List.of();
      case ViewNode.Trash t -> trashMembers(caller, node.path(), t.ns());
      case ViewNode.Deleted d -> node.isFolder() ? deletedMembers(caller, node.path(), d) : List.of();
    };
  }

  // ---- versions ----

  /** {@code below} is the view path of a folder or file of the view, or of a version of a file. */
  private ViewNode versions(Caller caller, String below) {
    String here = ROOT + "/" + VERSIONS + (below.equals(TreePaths.ROOT) ? "" : below);
    FilePath p = caller.locate(below);
    Entry e = files.entry(caller, p);
    if (e != null) {
      return mirrorOf(here, p, e);
    }
    if (below.equals(TreePaths.ROOT)) {
      return null;
    }
    FilePath file = caller.locate(TreePaths.parent(below));
    Entry current = files.entry(caller, file);
    long jid = ViewNames.versionJid(TreePaths.name(below));
    if (current == null || current.isDirectory() || jid < 0) {
      return null;
    }
    JournalRow row;
    try {
      row = files.version(caller, file, jid);
    } catch (CairnException ex) {
      if (ex.kind() == CairnException.Kind.NOT_FOUND) {
        return null;
      }
      throw ex;
    }
    ViewNode node = version(TreePaths.parent(here), file, current.name(), row);
    return node.path().equals(here) ? node : null;
  }

  /** The versions folder of what is at {@code p}: a mirror of a folder, the versions of a file. */
  private static ViewNode mirrorOf(String here, FilePath p, Entry e) {
    ViewNode.Place place = e.isDirectory() ? new ViewNode.Mirror(p) : new ViewNode.Versions(p);
    return ViewNode.folder(here, e.mtime(), e.created(), place);
  }

  private static ViewNode version(String folder, FilePath file, String fileName, JournalRow row) {
    String path = folder + "/" + ViewNames.version(fileName, row.jid(), row.at());
    Entry e = new Entry(path, EntryKind.FILE, row.size(), row.mtime() != null ? row.mtime() : row.at(),
        row.contentHash(), row.blocklist(), row.jid(), row.at());
    return new ViewNode(path, e, new ViewNode.Version(file, row.jid()));
  }

  private List<ViewNode> mirrorMembers(Caller caller, String here, FilePath dir) {
    List<ViewNode> out = new ArrayList<>();
    List<Caller.Share> shares = caller.sharesIn(dir);
    String after = null;
    while (true) {
      List<Entry> page = files.children(caller, dir, after, PAGE);
      for (Entry child : page) {
        // A share's folder shadows a home folder of the same name, here as in the view.
        if (shares.isEmpty() || caller.shareByFolder(child.name()) == null) {
          out.add(mirrorOf(TreePaths.child(here, child.name()), new FilePath(dir.ns(), child.path()), child));
        }
      }
      if (page.size() < PAGE) {
        break;
      }
      after = page.getLast().name();
    }
    for (Caller.Share share : shares) {
      FilePath root = new FilePath(share.ns(), TreePaths.ROOT);
      Entry e = files.entry(caller, root);
      if (e != null) {
        out.add(mirrorOf(TreePaths.child(here, share.folder()), root, e));
      }
    }
    return out;
  }

  private List<ViewNode> versionMembers(Caller caller, String here, FilePath file) {
    String name = TreePaths.name(here);
    List<ViewNode> out = new ArrayList<>();
    long before = 0;
    while (out.size() < VERSION_LIMIT) {
      List<JournalRow> page = files.history(caller, file, PAGE, before);
      java.util.Set<Long> expired = files.expired(caller, file, page); // retention: no content to show
      for (JournalRow row : page) {
        if (row.kind() == ChangeKind.PUT && !expired.contains(row.jid()) && out.size() < VERSION_LIMIT) {
          out.add(version(here, file, name, row));
        }
      }
      if (page.size() < PAGE) {
        break;
      }
      before = page.getLast().jid();
    }
    return out;
  }

  // ---- trash ----

  /** {@code below}: empty, a share's folder, a deleted entry, or a path inside a deleted folder. */
  private ViewNode trash(Caller caller, String below) {
    String base = ROOT + "/" + TRASH;
    String ns = caller.home();
    String inner = below;
    if (!below.equals(TreePaths.ROOT)) {
      int slash = below.indexOf('/', 1);
      Caller.Share share = caller.shareByFolder(slash < 0 ? below.substring(1) : below.substring(1, slash));
      if (share != null) {
        ns = share.ns();
        base = base + "/" + share.folder();
        inner = slash < 0 ? TreePaths.ROOT : below.substring(slash);
      }
    }
    if (inner.equals(TreePaths.ROOT)) {
      return trashFolder(base, ns);
    }
    int slash = inner.indexOf('/', 1);
    String name = slash < 0 ? inner.substring(1) : inner.substring(1, slash);
    String rest = slash < 0 ? "" : inner.substring(slash);
    TrashItem item = trashItem(caller, ns, ViewNames.deletedJid(name));
    if (item == null || !name.equals(trashName(item))) {
      return null;
    }
    String itemPath = base + "/" + name;
    if (rest.isEmpty()) {
      return deletedItem(caller, ns, item, itemPath);
    }
    if (item.kind() != EntryKind.DIRECTORY) {
      return null;
    }
    FilePath inside = new FilePath(ns, item.path() + rest);
    List<Entry> was = files.trashed(caller, inside, item.jid());
    if (was.isEmpty() || !was.getFirst().path().equals(inside.path())) {
      return null;
    }
    return ViewNode.at(itemPath + rest, was.getFirst(), new ViewNode.Deleted(inside, item.jid()));
  }

  private static ViewNode trashFolder(String path, String ns) {
    return ViewNode.folder(path, null, null, new ViewNode.Trash(ns));
  }

  /** The item of namespace {@code ns}'s trash that commit {@code jid} removed, among the newest; or null. */
  private TrashItem trashItem(Caller caller, String ns, long jid) {
    if (jid < 0) {
      return null;
    }
    for (TrashItem item : files.trash(caller, new FilePath(ns, TreePaths.ROOT), TRASH_LIMIT)) {
      if (item.jid() == jid) {
        return item;
      }
    }
    return null;
  }

  private static String trashName(TrashItem item) {
    return ViewNames.deleted(TreePaths.name(item.path()), item.kind() == EntryKind.DIRECTORY, item.jid(), item.at());
  }

  /**
   * A trash item as a node: a file as it was (one read); a folder with the removal's time, its
   * members read only when it is listed.
   */
  private ViewNode deletedItem(Caller caller, String ns, TrashItem item, String path) {
    FilePath was = new FilePath(ns, item.path());
    ViewNode.Deleted place = new ViewNode.Deleted(was, item.jid());
    if (item.kind() == EntryKind.DIRECTORY) {
      return ViewNode.folder(path, item.at(), item.at(), place);
    }
    List<Entry> entries = files.trashed(caller, was, item.jid());
    return entries.isEmpty() ? null : ViewNode.at(path, entries.getFirst(), place);
  }

  private List<ViewNode> trashMembers(Caller caller, String here, String ns) {
    List<ViewNode> out = new ArrayList<>();
    for (TrashItem item : files.trash(caller, new FilePath(ns, TreePaths.ROOT), TRASH_LIMIT)) {
      ViewNode node = deletedItem(caller, ns, item, here + "/" + trashName(item));
      if (node != null) {
        out.add(node);
      }
    }
    if (ns.equals(caller.home())) {
      for (Caller.Share share : caller.shares()) {
        out.add(trashFolder(here + "/" + share.folder(), share.ns()));
      }
    }
    return out;
  }

  private List<ViewNode> deletedMembers(Caller caller, String here, ViewNode.Deleted folder) {
    List<ViewNode> out = new ArrayList<>();
    String dir = folder.path().path();
    for (Entry e : files.trashed(caller, folder.path(), folder.jid())) {
      if (!e.path().equals(dir) && TreePaths.parent(e.path()).equals(dir)) {
        out.add(ViewNode.at(here + "/" + e.name(), e, new ViewNode.Deleted(new FilePath(folder.path().ns(), e.path()), folder.jid())));
      }
    }
    return out;
  }
}
