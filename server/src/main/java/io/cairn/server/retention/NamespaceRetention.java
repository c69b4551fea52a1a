package io.cairn.server.retention;

import io.cairn.core.CairnException;
import io.cairn.files.Await;
import io.cairn.storage.Journal;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A namespace's own retention settings, overriding the server's {@code retention.*} keys for it
 * (the admin API and {@code cairn ns retention}); kept in the journal ({@link
 * Journal#namespaceSettings}), so every node and the next retention pass see them. Blocking.
 */
public final class NamespaceRetention {
  /** What a namespace follows: its own settings and the policy they make with the server's. */
  public record Settings(Map<String, Long> own, RetentionPolicy effective) {}

  private final Journal journal;
  private final RetentionPolicy server;

  public NamespaceRetention(Journal journal, RetentionPolicy server) {
    this.journal = journal;
    this.server = server;
  }

  /** The settings of {@code ns}; NOT_FOUND for an unknown namespace. */
  public Settings of(String ns) {
    Map<String, Long> own = Await.result(journal.namespaceSettings(ns));
    return new Settings(own, server.with(own));
  }

  /**
   * Sets {@code changes} for {@code ns}: a key to a number of days (or versions), or to {@code
   * "default"} to follow the server's value again. Checked whole before anything is written:
   * INVALID for an unknown key or a value out of range, NOT_FOUND for an unknown namespace.
   */
  public Settings set(String ns, Map<String, String> changes) {
    Map<String, Long> own = new HashMap<>(Await.result(journal.namespaceSettings(ns)));
    Map<String, Long> write = new LinkedHashMap<>();
    changes.forEach((key, text) -> {
      if (!RetentionPolicy.KEYS.contains(key)) {
        throw CairnException.invalid("no retention setting " + key + "; the settings are " + RetentionPolicy.KEYS);
      }
      Long value = text.equals("default") ? null : number(key, text);
      write.put(key, value);
      if (value == null) {
        own.remove(key);
      } else {
        own.put(key, value);
      }
    });
    RetentionPolicy effective = server.with(own);
    Await.result(journal.setNamespaceSettings(ns, write));
    return new Settings(own, effective);
  }

  private static long number(String key, String text) {
    try {
      return Long.parseLong(text.trim());
    } catch (NumberFormatException e) {
      throw CairnException.invalid(key + " must be a number of days (or versions), or default; not " + text);
    }
  }
}
