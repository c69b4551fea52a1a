package io.cairn.server.web;

import static io.cairn.server.http.JsonRoutes.op;

import io.cairn.core.CairnException;
import io.cairn.files.FilePath;
import io.cairn.files.FileService;
import io.cairn.files.StagedUploads;
import io.cairn.server.api.ContentRange;
import io.cairn.server.auth.LoginThrottle;
import io.cairn.server.http.Front;
import io.cairn.server.http.JsonRoutes;
import io.cairn.server.http.JsonRoutes.Answer;
import io.cairn.server.http.JsonRoutes.Refusal;
import io.cairn.server.http.SessionCookie;
import io.cairn.server.share.ShareLinks;
import io.cairn.storage.Entry;
import io.cairn.storage.users.ShareLink;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;

/**
 * What a visitor of a share link reaches, without an account, under {@code /.cairn/s/<token>}:
 *
 * <ul>
 *   <li>{@code GET <token>}: the link's page ({@code link.html}, the web interface's policy), or a
 *       page saying the link does not exist (404: unknown, revoked, its owner lost access, its
 *       target gone) or has expired (410);
 *   <li>{@code GET <token>/info}: {@code {"name", "kind", "size", "mode", "expires_at"}}, or 401
 *       {@code password_required} until the visitor gave the link's password;
 *   <li>{@code POST <token>/unlock {"password"}}: checks it (failures throttled as logins are,
 *       per link and address) and sets the cookie {@link #COOKIE}, scoped to the link's path;
 *   <li>{@code GET <token>/list?path=&after=}: one page of a shared folder's (or subfolder's)
 *       children: names, kinds, sizes and times, nothing else;
 *   <li>{@code GET <token>/file?path=}: a file's content as an attachment ({@code nosniff} and a
 *       sandbox policy: a shared HTML file never runs as a page of this origin), counted;
 *   <li>for an upload-only ("drop") link, which answers {@code list} and {@code file} with 403:
 *       {@code POST <token>/drop}, {@code PUT <token>/drop/ID/part/N} and {@code POST
 *       <token>/drop/ID/done} ({@link LinkDrops}).
 * </ul>
 *
 * No other method is answered (405), and no path can leave what the link shares: {@code path} is
 * relative to the shared folder and may hold no dot or empty segment ({@link ShareLinks.Opened#inside}).
 */
public final class LinkPages {
  /** The cookie that shows the visitor gave a link's password. */
  public static final String COOKIE = "cairn_link";
  private static final int PAGE = 1000;
  private static final String SANDBOX = "sandbox; default-src 'none'";

  private final ShareLinks links;
  private final FileService files;
  private final WebAssets assets;
  private final LoginThrottle throttle;
  private final boolean secure;
  private final LinkDrops drops;

  private LinkPages(ShareLinks links, FileService files, StagedUploads staged, WebAssets assets, Clock clock, boolean secure,
      DropLimits dropLimits) {
    this.links = links;
    this.files = files;
    this.assets = assets;
    this.throttle = LoginThrottle.standard(clock);
    this.secure = secure;
    this.drops = new LinkDrops(links, files, staged, new DropGuards(dropLimits, clock));
  }

  /**
   * The front under {@link ShareLinks#PREFIX}, for the edge; nothing authenticated. The access log
   * shows a link's path with its token cut short ({@link #logged}): the log is no key to the links.
   */
  public static Front front(Vertx vertx, ShareLinks links, FileService files, StagedUploads staged, WebAssets assets,
      Clock clock, boolean secure, DropLimits dropLimits) {
    JsonRoutes routes = routes(vertx, links, files, staged, assets, clock, secure, dropLimits);
    return (req, exchange) -> {
      exchange.logAs(logged(req.path()));
      return routes.accept(req, exchange);
    };
  }

  /** {@code path} with the token after {@link ShareLinks#PREFIX} cut to its first 4 characters. */
  static String logged(String path) {
    if (path == null || !path.startsWith(ShareLinks.PREFIX)) {
      return path;
    }
    String rest = path.substring(ShareLinks.PREFIX.length());
    int slash = rest.indexOf('/');
    String token = slash < 0 ? rest : rest.substring(0, slash);
    String shown = token.length() <= 4 ? token : token.substring(0, 4) + "...";
    return ShareLinks.PREFIX + shown + (slash < 0 ? "" : rest.substring(slash));
  }

  static JsonRoutes routes(Vertx vertx, ShareLinks links, FileService files, StagedUploads staged, WebAssets assets,
      Clock clock, boolean secure, DropLimits dropLimits) {
    LinkPages pages = new LinkPages(links, files, staged, assets, clock, secure, dropLimits);
    return new JsonRoutes(vertx, ShareLinks.PREFIX).servingEveryone()
        .path(":token", op(HttpMethod.GET, pages::page).withoutAuthentication())
        .path(":token/info", op(HttpMethod.GET, pages::info).withoutAuthentication())
        .path(":token/unlock", op(HttpMethod.POST, 4096, pages::unlock).withoutAuthentication())
        .path(":token/list", op(HttpMethod.GET, pages::list).withoutAuthentication())
        .path(":token/file", op(HttpMethod.GET, pages::file).withoutAuthentication())
        .path(":token/drop", op(HttpMethod.POST, 1024, c -> pages.drops.begin(pages.dropping(c), c)).withoutAuthentication())
        .path(":token/drop/:upload/part/:part", op(HttpMethod.PUT, LinkDrops.PART,
            c -> pages.drops.part(pages.dropping(c), c)).withoutAuthentication())
        .path(":token/drop/:upload/done", op(HttpMethod.POST, 4096,
            c -> pages.drops.done(pages.dropping(c), c)).withoutAuthentication());
  }

  /**
   * The drop link opened for an upload, its password given; the call must carry {@code
   * X-Cairn-CSRF} (any value, as an unlock does) so no other site's form can post to it.
   */
  private ShareLinks.Opened dropping(JsonRoutes.Call call) {
    if (call.request().getHeader(SessionCookie.CSRF_HEADER) == null) {
      throw new Refusal(403, "forbidden", "an upload must carry the " + SessionCookie.CSRF_HEADER + " header (any value); the link's page sends it");
    }
    ShareLinks.Opened o = opened(call);
    LinkDrops.requireDrop(o.link());
    return o;
  }

  /** The link of the call's token, not expired; 404 or 410 otherwise. */
  private ShareLink link(JsonRoutes.Call call) {
    WebAssets.secure(call.response());
    call.response().putHeader("Cache-Control", "no-store");
    ShareLink link = links.find(call.param("token"));
    if (link == null) {
      throw new Refusal(404, "not_found", "no such link: it never existed or was revoked");
    }
    if (links.expired(link)) {
      throw new Refusal(410, "gone", "this link has expired");
    }
    return link;
  }

  /** The link opened, its password given; 401 {@code password_required} otherwise. */
  private ShareLinks.Opened opened(JsonRoutes.Call call) {
    ShareLink link = link(call);
    if (!ShareLinks.unlocked(link, call.param("token"), SessionCookie.cookie(call.request(), COOKIE))) {
      throw new Refusal(401, "password_required", "this link asks for a password");
    }
    return links.open(link);
  }

  private Answer page(JsonRoutes.Call call) {
    int status;
    try {
      links.open(link(call));
      assets.send(call.response(), "link.html");
      return null;
    } catch (Refusal r) {
      status = r.status();
    } catch (CairnException e) {
      if (e.kind() != CairnException.Kind.NOT_FOUND) {
        throw e;
      }
      status = 404;
    }
    assets.send(call.response(), "link-gone.html", status);
    return null;
  }

  private Answer info(JsonRoutes.Call call) {
    ShareLinks.Opened o = opened(call);
    Entry e = o.target();
    String name = o.root().isRoot() ? o.root().ns().substring(o.root().ns().indexOf(':') + 1) : o.root().name();
    return Answer.ok(new JsonObject().put("name", name).put("kind", o.folder() ? "folder" : "file")
        .put("size", o.folder() ? null : e.size()).put("mode", o.link().mode().name().toLowerCase(java.util.Locale.ROOT))
        .put("expires_at", o.link().expiresAtMillis() < 0 ? null : o.link().expiresAtMillis()));
  }

  private Answer unlock(JsonRoutes.Call call) throws InterruptedException {
    ShareLink link = link(call);
    if (call.request().getHeader(SessionCookie.CSRF_HEADER) == null) {
      throw new Refusal(403, "forbidden", "an unlock must carry the " + SessionCookie.CSRF_HEADER + " header (any value); the link's page sends it");
    }
    Object password = call.json().getValue("password");
    if (!(password instanceof String p)) {
      throw new Refusal(400, "bad_request", "an unlock is {\"password\": TEXT}");
    }
    String key = "link " + link.id();
    long wait = throttle.retryAfterSeconds(key, call.remote());
    if (wait > 0) {
      call.response().putHeader("Retry-After", Long.toString(wait));
      throw new Refusal(429, "too_many_requests", "too many wrong passwords; try again in " + wait + " s");
    }
    if (!ShareLinks.passwordMatches(link, p)) {
      Thread.sleep(throttle.failed(key, call.remote()).delayMillis());
      throw new Refusal(401, "unauthorized", "wrong password");
    }
    throttle.succeeded(key, call.remote());
    String token = call.param("token");
    call.response().putHeader("Set-Cookie", COOKIE + "=" + ShareLinks.unlockProof(link, token) + "; Path=" + ShareLinks.PREFIX + token
        + "; Max-Age=43200; HttpOnly; SameSite=Strict" + (secure ? "; Secure" : ""));
    return Answer.ok(new JsonObject());
  }

  private Answer list(JsonRoutes.Call call) {
    ShareLinks.Opened o = opened(call);
    if (o.link().mode() != ShareLink.Mode.READ) {
      throw new Refusal(403, "forbidden", "a drop link does not show what the folder holds");
    }
    FilePath dir = o.inside(call.query("path"));
    Entry e = files.entry(o.owner(), dir);
    if (e == null || !e.isDirectory()) {
      throw CairnException.notFound("no such folder in this link");
    }
    List<Entry> children = files.children(o.owner(), dir, call.query("after"), PAGE + 1);
    JsonArray entries = new JsonArray();
    for (Entry child : children.subList(0, Math.min(PAGE, children.size()))) {
      entries.add(new JsonObject().put("name", new FilePath(dir.ns(), child.path()).name())
          .put("kind", child.isDirectory() ? "folder" : "file").put("size", child.isDirectory() ? null : child.size())
          .put("mtime", child.mtime() == null ? null : child.mtime().toEpochMilli()));
    }
    return Answer.ok(new JsonObject().put("path", o.relative(dir)).put("entries", entries).put("has_more", children.size() > PAGE));
  }

  private Answer file(JsonRoutes.Call call) throws java.io.IOException {
    ShareLinks.Opened o = opened(call);
    if (o.link().mode() != ShareLink.Mode.READ) {
      throw new Refusal(403, "forbidden", "a drop link does not give files out");
    }
    FilePath p = o.inside(call.query("path"));
    Entry e = p.equals(o.root()) ? o.target() : files.entry(o.owner(), p);
    if (e == null || e.isDirectory()) {
      throw CairnException.notFound("no such file in this link");
    }
    HttpServerResponse r = call.response();
    // A shared file is the owner's bytes, not a page of this origin: never rendered, never sniffed.
    r.putHeader("Content-Security-Policy", SANDBOX);
    r.putHeader("Content-Disposition", attachment(p.name()));
    links.counted(o.link());
    try {
      ContentRange.send(call, e, (offset, length, out) -> files.download(e, offset, length, out));
    } catch (CairnException damaged) {
      if (damaged.kind() != CairnException.Kind.DAMAGED) {
        throw damaged;
      }
      // The owner's message names chunks, paths above the link and when the damage was found.
      throw new CairnException(CairnException.Kind.DAMAGED,
          "this file is damaged and cannot be read; tell the person who shared it");
    }
    return null;
  }

  /** RFC 6266: an ASCII fallback name and the UTF-8 name. */
  static String attachment(String name) {
    String ascii = name.replaceAll("[^\\x20-\\x7e]|[\"\\\\]", "_");
    return "attachment; filename=\"" + ascii + "\"; filename*=UTF-8''" + URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
