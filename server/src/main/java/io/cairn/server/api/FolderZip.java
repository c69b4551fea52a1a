package io.cairn.server.api;

import io.cairn.core.CairnException;
import io.cairn.files.Caller;
import io.cairn.files.FilePath;
import io.cairn.files.FileService;
import io.cairn.server.http.JsonRoutes;
import io.cairn.server.http.JsonRoutes.Answer;
import io.cairn.storage.Entry;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.attribute.FileTime;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * {@code GET zip?path=FOLDER}: a folder and everything below it that the caller can read (shares
 * inside it included) as one ZIP, streamed as it is read: nothing is gathered in memory or on
 * disk first, ZIP64 past 4 GiB or 65,535 entries. Names are relative to the folder, under a top
 * folder of its name; empty folders are kept. A failure once bytes are sent can only cut the
 * connection, which leaves the client a ZIP without its central directory: never a file that
 * looks whole.
 */
final class FolderZip {
  private static final int PAGE = 1000;

  private final FileService files;

  FolderZip(FileService files) {
    this.files = files;
  }

  Answer zip(JsonRoutes.Call call) throws IOException {
    Caller caller = Caller.current();
    String view = Input.path(call.query("path"), "path");
    FilePath top = caller.locate(view);
    if (!top.isRoot()) {
      Entry e = files.entry(caller, top);
      if (e == null || !e.isDirectory()) {
        throw CairnException.notFound("no folder at " + view);
      }
    } else {
      files.children(caller, top, null, 1); // refuses a share or home the caller cannot read
    }
    String name = view.equals("/") ? "files" : view.substring(view.lastIndexOf('/') + 1);
    call.response().putHeader("Content-Type", "application/zip")
        .putHeader("Content-Disposition", "attachment; filename*=UTF-8''"
            + URLEncoder.encode(name + ".zip", StandardCharsets.UTF_8).replace("+", "%20"))
        .putHeader("Cache-Control", "no-store")
        .setChunked(true);
    ResponseStream out = new ResponseStream(call.response());
    try (ZipOutputStream zip = new ZipOutputStream(out, StandardCharsets.UTF_8)) {
      zip.setLevel(Deflater.BEST_SPEED);
      write(caller, view, name, zip);
    } catch (IOException | RuntimeException e) {
      call.response().reset(); // cut, so the client never takes a partial ZIP for a whole one
      throw e;
    }
    return null;
  }

  /** Every folder and file below {@code topView}, depth first, named below {@code topName}. */
  private void write(Caller caller, String topView, String topName, ZipOutputStream zip) throws IOException {
    Deque<String> folders = new ArrayDeque<>(List.of(topView));
    while (!folders.isEmpty()) {
      String folderView = folders.pop();
      FilePath dir = caller.locate(folderView);
      String prefix = topName + relative(topView, folderView) + "/";
      zip.putNextEntry(new ZipEntry(prefix));
      zip.closeEntry();
      for (Caller.Share share : caller.sharesIn(dir)) {
        folders.push(child(folderView, share.folder()));
      }
      String after = null;
      while (true) {
        List<Entry> page = files.children(caller, dir, after, PAGE);
        for (Entry e : page) {
          String childView = ApiJson.visible(caller, dir.ns(), e.path());
          if (childView == null) {
            continue; // a home folder behind a share's folder of the same name
          }
          if (e.isDirectory()) {
            folders.push(childView);
          } else {
            ZipEntry z = new ZipEntry(topName + relative(topView, childView));
            if (e.mtime() != null) {
              z.setLastModifiedTime(FileTime.from(e.mtime()));
            }
            zip.putNextEntry(z);
            files.download(e, 0, e.size(), zip);
            zip.closeEntry();
          }
        }
        if (page.size() < PAGE) {
          break;
        }
        after = page.get(page.size() - 1).name();
      }
    }
  }

  private static String child(String folderView, String name) {
    return folderView.equals("/") ? "/" + name : folderView + "/" + name;
  }

  /** {@code view} below {@code top}, with its leading slash; "" for the top itself. */
  private static String relative(String top, String view) {
    if (view.equals(top)) {
      return "";
    }
    return top.equals("/") ? view : view.substring(top.length());
  }
}
