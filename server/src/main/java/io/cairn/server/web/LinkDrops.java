package io.cairn.server.web;

import io.cairn.core.CairnException;
import io.cairn.core.TreePaths;
import io.cairn.files.ContentUpload;
import io.cairn.files.FilePath;
import io.cairn.files.FileService;
import io.cairn.files.StagedUploads;
import io.cairn.server.http.JsonRoutes;
import io.cairn.server.http.JsonRoutes.Answer;
import io.cairn.server.http.JsonRoutes.Refusal;
import io.cairn.server.share.ShareLinks;
import io.cairn.storage.Entry;
import io.cairn.storage.Expect;
import io.cairn.storage.users.AppTokens;
import io.cairn.storage.users.ShareLink;
import io.netty.buffer.ByteBufInputStream;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import io.vertx.core.json.JsonObject;
import java.io.IOException;

/**
 * Uploads through an upload-only ("drop") link, in parts so that a large file needs no large
 * request and a part whose connection dropped is simply sent again:
 *
 * <ul>
 *   <li>{@code POST <token>/drop} starts one file's upload: {@code {"upload": ID}}, an id the server
 *       makes (the link's id, then random), staged as the owner's ({@link StagedUploads}: counted
 *       against the owner's quota, swept when abandoned for a day);
 *   <li>{@code PUT <token>/drop/ID/N} stores part N (at most {@link #PART} bytes; sent again, it
 *       replaces itself);
 *   <li>{@code POST <token>/drop/ID/done {"name", "size"}} puts the parts together as a new file of
 *       the shared folder; a name already taken gets " (2)", " (3)" … before its extension, so
 *       nothing is replaced. The answer is {@code {"size"}}: not the name it got, which would tell
 *       the visitor what else the folder holds.
 * </ul>
 *
 * Visitors have no account, so {@link DropGuards} holds them to the node's {@link DropLimits}:
 * begins counted per minute per link and per address (429), part bodies read at once per link and
 * overall (503, before the body is read). Revoking the link discards its unfinished uploads
 * ({@link ShareLinks#revoke}).
 *
 * <p>The visitor's bytes are stored as they come, never matched against what the server holds: a
 * drop link answers nothing that depends on the owner's other content (design invariant 7).
 */
final class LinkDrops {
  /** The most bytes of one part: the page sends 4 MiB parts. */
  static final int PART = 8 << 20;
  private static final int MAX_NAME_TRIES = 100;

  private final ShareLinks links;
  private final FileService files;
  private final StagedUploads staged;
  private final DropGuards guards;

  LinkDrops(ShareLinks links, FileService files, StagedUploads staged, DropGuards guards) {
    this.links = links;
    this.files = files;
    this.staged = staged;
    this.guards = guards;
  }

  Answer begin(ShareLinks.Opened o, JsonRoutes.Call call) {
    long wait = guards.begin(o.link().id(), call.remote());
    if (wait > 0) {
      call.response().putHeader("Retry-After", Long.toString(wait));
      throw new Refusal(429, "too_many_requests", "too many uploads begun through this link or from this address; try again in "
          + wait + " s");
    }
    String id = ShareLinks.dropUploadPrefix(o.link().id()) + AppTokens.randomId();
    staged.begin(o.owner(), id);
    return new Answer(201, new JsonObject().put("upload", id));
  }

  Answer part(ShareLinks.Opened o, JsonRoutes.Call call) throws IOException {
    String id = upload(o, call);
    String n = call.param("part");
    if (!n.matches("[0-9]{1,5}") || Integer.parseInt(n) >= StagedUploads.MAX_PARTS) {
      throw new Refusal(400, "bad_request", "a part is numbered 0 to " + (StagedUploads.MAX_PARTS - 1));
    }
    if (staged.upload(o.owner(), id) == null) { // before a byte of the body is read
      throw CairnException.notFound("no such upload through this link");
    }
    try (DropGuards.Slot slot = guards.part(o.link().id())) { // before a byte of the body is read
      return part(o, call, id, n);
    }
  }

  private Answer part(ShareLinks.Opened o, JsonRoutes.Call call, String id, String n) throws IOException {
    Buffer body = call.body();
    long max = files.limits().maxUploadBytes();
    if (max > 0) { // the file the parts make is held to the largest upload, not each part alone
      long others = staged.parts(o.owner(), id).stream().filter(e -> !e.path().endsWith("/" + n))
          .mapToLong(Entry::size).sum();
      if (others + body.length() > max) {
        throw new CairnException(CairnException.Kind.TOO_LARGE, "a file may hold at most " + max + " bytes on this server");
      }
    }
    // Read in place: a copy would hold each part twice while it is staged (drop.parts.in.flight).
    staged.part(o.owner(), id, n, new ByteBufInputStream(((BufferInternal) body).getByteBuf()), body.length());
    return new Answer(201, new JsonObject().put("part", Integer.parseInt(n)).put("size", body.length()));
  }

  Answer done(ShareLinks.Opened o, JsonRoutes.Call call) throws IOException {
    String id = upload(o, call);
    JsonObject in = call.json();
    if (!(in.getValue("name") instanceof String name) || !(in.getValue("size") instanceof Number size)) {
      throw new Refusal(400, "bad_request", "done is {\"name\": TEXT, \"size\": BYTES}");
    }
    if (name.isEmpty() || name.contains("/") || !TreePaths.isValid(TreePaths.ROOT + name) || misleading(name)) {
      throw new Refusal(400, "bad_request", "not a file name: " + name.replaceAll("[\\p{Cntrl}\\p{Cf}]", "?"));
    }
    String claimed = staged.claim(o.owner(), id);
    try {
      ContentUpload.Result content = staged.assemble(o.owner(), claimed, size.longValue());
      putUnderFreeName(o, name, content);
    } catch (RuntimeException | IOException e) {
      staged.release(o.owner(), claimed, id); // the parts stay: the visitor may try again
      throw e;
    }
    staged.cancel(o.owner(), claimed);
    links.counted(o.link());
    return new Answer(201, new JsonObject().put("size", size.longValue()));
  }

  /**
   * A name a stranger could use to pass one file off as another, or that Windows cannot hold:
   * invisible format characters (a right-to-left override, U+202E, shows "rtl", U+202E,
   * "gnp.exe" as "rtlexe.png"), a backslash, or a trailing dot or space.
   */
  static boolean misleading(String name) {
    return name.chars().anyMatch(c -> Character.getType(c) == Character.FORMAT || c == '\\')
        || name.endsWith(".") || name.endsWith(" ");
  }

  /** The upload id of the call, which must be one this link started. */
  private static String upload(ShareLinks.Opened o, JsonRoutes.Call call) {
    String id = call.param("upload");
    if (id == null || !id.startsWith(ShareLinks.dropUploadPrefix(o.link().id()))) {
      throw CairnException.notFound("no such upload through this link");
    }
    return id;
  }

  private void putUnderFreeName(ShareLinks.Opened o, String name, ContentUpload.Result content) {
    for (int i = 1; i <= MAX_NAME_TRIES; i++) {
      FilePath p = o.inside(TreePaths.ROOT + numbered(name, i));
      try {
        files.put(o.owner(), p, content, Expect.ABSENT);
        return;
      } catch (CairnException e) {
        if (e.kind() != CairnException.Kind.PRECONDITION_FAILED && e.kind() != CairnException.Kind.ALREADY_EXISTS) {
          throw e;
        }
      }
    }
    throw CairnException.conflict("no free name for " + name + " after " + MAX_NAME_TRIES + " tries");
  }

  /** {@code name} for i = 1, else "base (i).ext". */
  static String numbered(String name, int i) {
    if (i == 1) {
      return name;
    }
    int dot = name.lastIndexOf('.');
    return dot <= 0 ? name + " (" + i + ")" : name.substring(0, dot) + " (" + i + ")" + name.substring(dot);
  }

  /** Whether the link is a drop link; the other routes refuse it, these refuse read links. */
  static void requireDrop(ShareLink link) {
    if (link.mode() != ShareLink.Mode.DROP) {
      throw new Refusal(403, "forbidden", "this link only reads");
    }
  }
}
