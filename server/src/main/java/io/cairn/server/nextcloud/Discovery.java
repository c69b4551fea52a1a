package io.cairn.server.nextcloud;

import io.cairn.files.Caller;
import io.cairn.files.FileService;
import io.cairn.server.auth.RequestAuthenticator;
import io.cairn.server.http.BoundedBody;
import io.cairn.server.http.Front;
import io.cairn.storage.NamespaceInfo;
import io.cairn.webdav.xml.Xml;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;

/**
 * What the Nextcloud and ownCloud clients read before they sync: {@code /status.php} (is this a
 * server they can talk to, which version) and the OCS endpoints {@code cloud/capabilities} (what
 * the server can do: chunked uploads, checksums) and {@code cloud/user} (the user id their DAV URLs
 * name, and the quota), in OCS v1 and v2, JSON ({@code format=json} or an {@code Accept} naming
 * JSON) or XML otherwise, as Nextcloud answers. Only what Cairn really does is advertised: no
 * sharing API, no end-to-end encryption, no notifications.
 */
final class Discovery {
  /**
   * The Nextcloud version Cairn answers as: what the clients compare to decide which protocol to
   * speak (26 and later: chunked uploads with a Destination header, the {@code dav/files} URLs).
   */
  static final String COMPAT_VERSION = "27.1.0";

  private final FileService files;
  private final String version;

  Discovery(FileService files, String version) {
    this.files = files;
    this.version = version;
  }

  /** {@code GET /status.php}: anonymous, JSON. */
  Front.Call status(HttpServerRequest req) {
    return new Answering(req, true) {
      @Override
      Reply reply() {
        JsonObject status = new JsonObject()
            .put("installed", true)
            .put("maintenance", false)
            .put("needsDbUpgrade", false)
            .put("version", COMPAT_VERSION + ".0")
            .put("versionstring", COMPAT_VERSION)
            .put("edition", "")
            .put("productname", "Cairn")
            .put("extendedSupport", false)
            .put("cairn", version);
        return new Reply(200, "application/json; charset=utf-8", status.encode());
      }
    };
  }

  /** An OCS endpoint: {@code cloud/capabilities}, {@code cloud/user}; anything else is 404. */
  Front.Call ocs(HttpServerRequest req) {
    String path = req.path();
    boolean v2 = path.startsWith("/ocs/v2.php/");
    String endpoint = path.startsWith("/ocs/v1.php/") || v2 ? path.substring("/ocs/v1.php/".length()) : "";
    boolean json = "json".equals(req.getParam("format"))
        || (req.getHeader("Accept") != null && req.getHeader("Accept").contains("application/json"));
    return new Answering(req, false) {
      @Override
      Reply reply() {
        JsonObject data = switch (endpoint) {
          case "cloud/capabilities" -> capabilities();
          case "cloud/user" -> user(Caller.current());
          default -> null;
        };
        return data == null
            ? ocs(v2, json, 404, v2 ? 404 : 998, "no such OCS endpoint: " + endpoint, new JsonObject())
            : ocs(v2, json, 200, v2 ? 200 : 100, "OK", data);
      }
    };
  }

  private JsonObject capabilities() {
    String[] numbers = COMPAT_VERSION.split("\\.");
    JsonObject v = new JsonObject()
        .put("major", Integer.parseInt(numbers[0]))
        .put("minor", Integer.parseInt(numbers[1]))
        .put("micro", Integer.parseInt(numbers[2]))
        .put("string", COMPAT_VERSION)
        .put("edition", "")
        .put("extendedSupport", false);
    JsonObject caps = new JsonObject()
        .put("core", new JsonObject().put("pollinterval", 60).put("webdav-root", "remote.php/webdav"))
        .put("dav", new JsonObject().put("chunking", "1.0"))
        .put("files", new JsonObject()
            .put("bigfilechunking", true)
            .put("blacklisted_files", new JsonArray())
            .put("undelete", true)
            .put("versioning", true))
        .put("checksums", new JsonObject()
            .put("supportedTypes", new JsonArray().add("SHA1").add("MD5"))
            .put("preferredUploadType", "SHA1"));
    return new JsonObject().put("version", v).put("capabilities", caps);
  }

  private JsonObject user(Caller caller) {
    NamespaceInfo home = files.usage(caller, caller.home());
    long total = files.quota().limitFor(caller, caller.home());
    long free = files.availableBytes(caller, caller.home(), home.usedBytes());
    JsonObject quota = new JsonObject()
        .put("free", free < 0 ? -3 : free)
        .put("used", home.usedBytes())
        .put("total", total < 0 ? -3 : total)
        .put("relative", total > 0 ? Math.round(10000.0 * home.usedBytes() / total) / 100.0 : 0)
        .put("quota", total < 0 ? -3 : total);
    return new JsonObject()
        .put("id", caller.name())
        .put("display-name", caller.name())
        .put("displayname", caller.name())
        .put("email", (String) null)
        .put("quota", quota);
  }

  /** The OCS envelope, JSON or XML. */
  private static Reply ocs(boolean v2, boolean json, int httpStatus, int ocsStatus,
      String message, JsonObject data) {
    JsonObject meta = new JsonObject()
        .put("status", ocsStatus < 300 ? "ok" : "failure")
        .put("statuscode", ocsStatus)
        .put("message", message)
        .put("totalitems", "")
        .put("itemsperpage", "");
    // OCS v1 answers 200 with the failure in its statuscode; v2 uses the HTTP status.
    int status = v2 ? httpStatus : 200;
    if (json) {
      return new Reply(status, "application/json; charset=utf-8",
          new JsonObject().put("ocs", new JsonObject().put("meta", meta).put("data", data)).encode());
    }
    StringBuilder xml = new StringBuilder("<?xml version=\"1.0\"?>\n<ocs>");
    xml(xml, "meta", meta);
    xml(xml, "data", data);
    return new Reply(status, "application/xml; charset=utf-8", xml.append("</ocs>\n").toString());
  }

  /** JSON as OCS writes it in XML: an element per key, array items as {@code <element>}. */
  private static void xml(StringBuilder out, String name, Object value) {
    out.append('<').append(name).append('>');
    if (value instanceof JsonObject o) {
      for (Map.Entry<String, Object> e : o) {
        xml(out, e.getKey(), e.getValue());
      }
    } else if (value instanceof JsonArray a) {
      for (Object item : a) {
        xml(out, "element", item);
      }
    } else if (value != null) {
      out.append(Xml.text(String.valueOf(value)));
    }
    out.append("</").append(name).append('>');
  }

  /** A plain-text answer, served without a caller; a body the request carries is never read. */
  static Front.Call plain(HttpServerRequest req, int status, String text, boolean anonymous) {
    return new Answering(req, anonymous) {
      @Override
      Reply reply() {
        return new Reply(status, "text/plain; charset=utf-8", text + "\n");
      }
    };
  }

  private static void send(HttpServerResponse r, int status, String type, String body) {
    r.setStatusCode(status).putHeader("Content-Type", type).putHeader("Cache-Control", "no-store").end(body);
  }

  private record Reply(int status, String type, String body) {}

  /**
   * A call answered in one piece; a body the request carries is never read (the connection closes
   * after the answer). A refusal is plain text.
   */
  private abstract static class Answering implements Front.Call {
    private final HttpServerRequest req;
    private final boolean anonymous;

    Answering(HttpServerRequest req, boolean anonymous) {
      this.req = req;
      this.anonymous = anonymous;
      req.pause();
    }

    abstract Reply reply();

    @Override
    public boolean anonymous() {
      return anonymous;
    }

    @Override
    public void serve() {
      answer(reply());
    }

    @Override
    public void refuse(RequestAuthenticator.Verdict verdict) {
      verdict.headers().forEach(req.response()::putHeader);
      answer(new Reply(verdict.status(), "text/plain; charset=utf-8", verdict.reason() + "\n"));
    }

    private void answer(Reply r) {
      if (BoundedBody.present(req)) {
        BoundedBody.answerAndClose(req, r.status(), r.type(), r.body());
      } else {
        send(req.response(), r.status(), r.type(), r.body());
      }
    }
  }
}
