package io.cairn.client;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How a client notices its own commit when the answer to it was lost. Sent again, a commit whose
 * content is already current answers {@code changed: false} (docs/api.md), so most of the time
 * the retry itself says so. When someone committed over it in between, the retry answers 412
 * instead: then the file's history tells whether this content landed after the base the commit
 * started from, and if it did, that version is the commit's answer. The run then goes on from it as
 * from any version of its own that someone changed since: no conflict copy, nothing lost (it is in
 * the history, and the newer version is fetched next pass).
 */
final class OwnCommits {
  private OwnCommits() {}

  /**
   * The version of {@code history} (newest first, as {@code GET history} answers) that holds
   * content {@code hash} at {@code path} and is newer than {@code base}, as a commit's answer; null
   * when there is none. With no base (a new file), only versions since the path was last deleted
   * count, so older content of the same name is not taken for this commit.
   */
  static Map<String, Object> landed(List<Map<String, Object>> history, String path, String hash, Long base) {
    for (Map<String, Object> v : history) {
      long version = ((Number) v.get("version")).longValue();
      if (base != null && version <= base || base == null && "deleted".equals(v.get("kind"))) {
        return null;
      }
      if ("file".equals(v.get("kind")) && path.equals(v.get("path")) && hash.equals(v.get("hash"))) {
        Map<String, Object> answer = new LinkedHashMap<>(v);
        answer.put("changed", true);
        return answer;
      }
    }
    return null;
  }
}
