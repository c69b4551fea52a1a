package io.cairn.webdav.lock;

import io.cairn.cluster.lock.LocalLockManager;
import io.cairn.cluster.lock.LockManager;
import io.milton.config.HttpManagerBuilder;
import io.milton.http.HttpManager;
import io.milton.http.Request;
import io.milton.http.http11.DefaultHttp11ResponseHandler;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * TEST ONLY: a real milton HttpManager over a {@link MemoryTree}, with the lock support installed
 * exactly as the server will install it, driven request by request in memory.
 */
final class LockingServer {
  static final String BASE = "http://localhost";

  final MemoryTree tree = new MemoryTree();
  final MemoryResources resources = new MemoryResources(tree);
  final MemoryTargets targets = new MemoryTargets(tree, resources);
  final LockManager locks;
  final HttpManager manager;

  LockingServer(Clock clock, Duration maxTimeout) {
    locks = new LocalLockManager(clock);
    HttpManagerBuilder builder = new HttpManagerBuilder();
    builder.setResourceFactory(resources);
    builder.setBuffering(DefaultHttp11ResponseHandler.BUFFERING.never);
    builder.setEnableCompression(false);
    builder.setEnableFormAuth(false);
    builder.setEnableCookieAuth(false);
    builder.setEnableDigestAuth(false);
    builder.setEnableOAuth2(false);
    builder.setEnabledJson(false);
    LockSupport.install(builder, locks, targets, clock, maxTimeout, LockSupport.DEFAULT_MAX_BODY_BYTES);
    manager = builder.buildHttpManager();
  }

  TestResponse send(String method, String path, String body, String... headerPairs) {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Host", "localhost");
    for (int i = 0; i < headerPairs.length; i += 2) {
      headers.put(headerPairs[i], headerPairs[i + 1]);
    }
    if (body != null) {
      headers.put("Content-Length", Integer.toString(body.getBytes().length));
    }
    TestResponse response = new TestResponse();
    manager.process(
        new TestRequest(Request.Method.valueOf(method), BASE + path, headers, body), response);
    return response;
  }
}
