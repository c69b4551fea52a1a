package io.cairn.client;

import io.cairn.core.Blocklist;
import io.cairn.core.ContentHash;
import java.util.Map;

/**
 * One path's state as one side saw it: a folder, or a file with its content.
 *
 * @param version the server's version of it (the journal id of the commit that wrote it); 0 when
 *     unknown
 * @param mtime milliseconds since the epoch: the server's for a remote node, the local file's for
 *     the base (what a later scan compares with)
 * @param hash the content hash (as the server computes it from the blocklist); null for folders
 */
record Node(boolean folder, long version, long size, long mtime, String hash, Blocklist blocklist) {

  static Node folder(long version) {
    return new Node(true, version, 0, 0, null, Blocklist.EMPTY);
  }

  static Node file(long version, long size, long mtime, Blocklist blocklist) {
    return new Node(false, version, size, mtime, ContentHash.of(blocklist), blocklist);
  }

  /** An entry or change of the sync API ({@code kind} file or folder). */
  static Node of(Map<String, Object> json) {
    long version = ((Number) json.get("version")).longValue();
    if ("folder".equals(json.get("kind"))) {
      return folder(version);
    }
    Blocklist blocks = Remote.blocklist(json.get("blocklist"));
    long mtime = json.get("mtime") instanceof Number n ? n.longValue() : 0;
    Node n = file(version, ((Number) json.get("size")).longValue(), mtime, blocks);
    String hash = (String) json.get("hash");
    return hash == null ? n : new Node(false, version, n.size(), mtime, hash, blocks);
  }

  /**
   * A commit's or move's answer for content whose blocklist the client knows (answers carry none):
   * the answer's version, size, mtime and hash with {@code blocklist}.
   */
  static Node committed(Map<String, Object> answer, Blocklist blocklist) {
    Node n = of(answer);
    return new Node(false, n.version, n.size, n.mtime, n.hash, blocklist);
  }

  /** Whether the blocklist is this content's (false when an answer came without one). */
  boolean complete() {
    return folder || ContentHash.of(blocklist).equals(hash);
  }

  Node withMtime(long localMtime) {
    return new Node(folder, version, size, localMtime, hash, blocklist);
  }

  /** Same content (or both folders). */
  boolean sameContent(Node other) {
    return other != null && folder == other.folder && (folder || hash.equals(other.hash));
  }
}
