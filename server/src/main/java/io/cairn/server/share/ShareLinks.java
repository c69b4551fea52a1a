package io.cairn.server.share;

import io.cairn.core.CairnException;
import io.cairn.core.TreePaths;
import io.cairn.files.Await;
import io.cairn.files.Caller;
import io.cairn.files.FilePath;
import io.cairn.files.FileService;
import io.cairn.files.StagedUploads;
import io.cairn.server.auth.Accounts;
import io.cairn.storage.Entry;
import io.cairn.storage.users.PasswordHash;
import io.cairn.storage.users.ShareLink;
import io.cairn.storage.users.ShareTokens;
import io.cairn.storage.users.User;
import io.cairn.storage.users.UserStore;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.Base64;
import java.util.List;

/**
 * Share links over the user store every node reads, so a link made, counted or revoked on one node
 * is the same link on all of them. A link names one file or folder by its namespace and path, and
 * opens it as its owner would see it <em>now</em>: every time it is used the owner's grants are
 * read again, so a link into a shared namespace stops working when the owner loses that grant, and
 * a link whose owner is removed goes with them. Blocking; failures are {@link CairnException}s
 * (NOT_FOUND for a link that is unknown, revoked, or whose target is gone or out of the owner's
 * reach, so none of those can be told apart from outside).
 */
public final class ShareLinks {
  /** The path under which links are opened: {@code /.cairn/s/<token>}. */
  public static final String PREFIX = "/.cairn/s/";
  /** The shortest password a link may have. */
  public static final int MIN_PASSWORD = 8;

  private final Accounts accounts;
  private final FileService files;
  private final StagedUploads staged;
  private final Clock clock;

  public ShareLinks(Accounts accounts, FileService files, StagedUploads staged, Clock clock) {
    this.accounts = accounts;
    this.files = files;
    this.staged = staged;
    this.clock = clock;
  }

  /**
   * What the ids of uploads begun through drop link {@code id} start with: staged as its owner's
   * ({@link StagedUploads}), told apart from the owner's own and other links' by it.
   */
  public static String dropUploadPrefix(String id) {
    return "drop-" + id + "-";
  }

  /** A link just made: its record and its token, which is stored nowhere (only its hash). */
  public record Issued(ShareLink link, String token) {
    /** The link's path on this server: {@code /.cairn/s/<token>}. */
    public String url() {
      return PREFIX + token;
    }

    @Override
    public String toString() {
      return "Issued[" + link + "]";
    }
  }

  /**
   * A link opened: the owner as they are now, and what the link shares.
   *
   * @param root the shared file or folder
   * @param target its entry (a folder's, or the file's)
   */
  public record Opened(ShareLink link, Caller owner, FilePath root, Entry target) {
    /** Whether the link shares a folder. */
    public boolean folder() {
      return target.isDirectory();
    }

    /**
     * The path a visitor names, relative to the shared folder ({@code /} is the folder itself, as
     * the client sent it, decoded once): INVALID for a dot or empty segment or a control character,
     * so nothing above the shared folder can be named; for a file link only {@code /} is valid.
     */
    public FilePath inside(String relative) {
      String rel = TreePaths.fromClient(relative == null ? TreePaths.ROOT : relative);
      if (!folder() && !rel.equals(TreePaths.ROOT)) {
        throw CairnException.notFound("a file link shares one file");
      }
      String full = rel.equals(TreePaths.ROOT) ? root.path()
          : root.isRoot() ? rel : root.path() + rel;
      if (!TreePaths.isValid(full) || !TreePaths.isSameOrBelow(full, root.path())) {
        throw CairnException.invalid("not a path inside the shared folder");
      }
      return new FilePath(root.ns(), full);
    }

    /** The path relative to the shared folder of {@code p}, which lies at or below it. */
    public String relative(FilePath p) {
      if (root.isRoot()) {
        return p.path();
      }
      return p.path().equals(root.path()) ? TreePaths.ROOT : p.path().substring(root.path().length());
    }
  }

  private UserStore store() {
    return accounts.store();
  }

  /**
   * Makes a link to {@code viewPath} of {@code caller}'s view.
   *
   * @param expiresAtMillis when it stops working (epoch milliseconds, in the future); null for never
   * @param password what a visitor must give first; null for none
   * @return NOT_FOUND when nothing is there; INVALID for the home's root (share a folder of it), a
   *     drop link to a file, a past expiry or a short password; FORBIDDEN for a drop link into a
   *     read-only share
   */
  public Issued create(Caller caller, String viewPath, ShareLink.Mode mode, Long expiresAtMillis, String password) {
    String view = TreePaths.fromClient(viewPath);
    FilePath p = caller.locate(view);
    if (p.isRoot() && p.ns().equals(caller.home())) {
      throw CairnException.invalid("share a file or folder of your home, not all of it");
    }
    Entry e = files.entry(caller, p);
    if (e == null) {
      throw CairnException.notFound("nothing at " + view);
    }
    if (mode == ShareLink.Mode.DROP) {
      if (!e.isDirectory()) {
        throw CairnException.invalid("a drop link opens a folder to upload into, not a file");
      }
      if (!caller.canWrite(p.ns())) {
        throw CairnException.forbidden(view + " is in a read-only share");
      }
    }
    long now = clock.millis();
    if (expiresAtMillis != null && expiresAtMillis <= now) {
      throw CairnException.invalid("a link's expiry must lie in the future");
    }
    if (password != null && (password.length() < MIN_PASSWORD || password.length() > 1024)) {
      throw CairnException.invalid("a link's password has " + MIN_PASSWORD + " to 1024 characters");
    }
    String token = ShareTokens.generate();
    ShareLink link = new ShareLink(ShareTokens.newId(), caller.name(), p.ns(), p.path(), mode, ShareTokens.hash(token),
        password == null ? null : PasswordHash.hash(password), now, expiresAtMillis == null ? -1 : expiresAtMillis, 0);
    Await.result(store().createShareLink(link));
    return new Issued(link, token);
  }

  /** {@code user}'s links, expired ones included, oldest first. */
  public List<ShareLink> list(String user) {
    return Await.result(store().shareLinks(user));
  }

  /**
   * Revokes link {@code id} of {@code owner}, on every node, and discards the uploads begun through
   * it and not finished (their parts leave the owner's quota at once); NOT_FOUND when they have no
   * such link. An upload being put together at this moment finishes.
   */
  public void revoke(Caller owner, String id) {
    Await.result(store().revokeShareLink(owner.name(), id));
    staged.cancelAll(owner, dropUploadPrefix(id));
  }

  /**
   * The link a token opens, expired or not; null when the token is malformed, unknown or revoked.
   * The store is asked by the token's hash, and the hash it answers is compared again in constant
   * time.
   */
  public ShareLink find(String token) {
    if (!ShareTokens.looksLikeToken(token)) {
      return null;
    }
    ShareLink link = Await.result(store().shareLinkByHash(ShareTokens.hash(token)));
    return link != null && ShareTokens.matches(token, link.linkHash()) ? link : null;
  }

  /** Whether {@code link} is expired now. */
  public boolean expired(ShareLink link) {
    return link.expiredAt(clock.millis());
  }

  /**
   * Opens {@code link} as its owner sees it now; NOT_FOUND when the owner is gone or disabled, can
   * no longer read (for a drop link: write) its namespace, or nothing is at its path any more.
   */
  public Opened open(ShareLink link) {
    User u = accounts.user(link.user());
    if (u == null || Accounts.disabled(u)) { // a disabled user's links stop with their logins
      throw CairnException.notFound("no such link");
    }
    Caller owner = accounts.view(u);
    boolean allowed = link.mode() == ShareLink.Mode.DROP ? owner.canWrite(link.ns()) : owner.canRead(link.ns());
    if (!allowed) {
      throw CairnException.notFound("no such link");
    }
    FilePath root = new FilePath(link.ns(), link.path());
    Entry target = files.entry(owner, root);
    if (target == null || (link.mode() == ShareLink.Mode.DROP && !target.isDirectory())) {
      throw CairnException.notFound("no such link");
    }
    return new Opened(link, owner, root, target);
  }

  /** Counts one download (or drop) through {@code link}; nothing when it was revoked meanwhile. */
  public void counted(ShareLink link) {
    try {
      Await.result(store().countShareDownload(link.id()));
    } catch (CairnException e) {
      if (e.kind() != CairnException.Kind.NOT_FOUND) {
        throw e;
      }
    }
  }

  /** Whether {@code password} is the link's; true for a link without one. */
  public static boolean passwordMatches(ShareLink link, String password) {
    return !link.hasPassword() || (password != null && PasswordHash.verify(password, link.passwordHash()));
  }

  /**
   * The value of the cookie that shows a visitor of {@code link}, opened by {@code token}, gave its
   * password: a hash of the token and the stored password hash. Only someone holding the token and
   * the database could make it without the password; a new password changes it.
   */
  public static String unlockProof(ShareLink link, String token) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(("cairn link unlocked\n" + token + "\n" + link.passwordHash()).getBytes(StandardCharsets.UTF_8));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(sha.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Whether {@code proof} is {@link #unlockProof}, compared in constant time; true for a link without password. */
  public static boolean unlocked(ShareLink link, String token, String proof) {
    if (!link.hasPassword()) {
      return true;
    }
    return proof != null && MessageDigest.isEqual(
        proof.getBytes(StandardCharsets.UTF_8), unlockProof(link, token).getBytes(StandardCharsets.UTF_8));
  }
}
