package io.cairn.storage.s3;

import io.minio.MinioAsyncClient;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import okhttp3.ConnectionPool;
import okhttp3.Dispatcher;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;

/** Builds the HTTP and minio clients of an {@link S3ChunkStore} from its configuration. */
final class S3Clients {
  private S3Clients() {}

  /**
   * Our own OkHttp client, not minio's default: that one retries inside an interceptor by sleeping
   * on an OkHttp thread, and lets only 5 requests per host run at once. Requests run on {@code
   * threads} (virtual threads), so a blocked body read costs no platform thread.
   */
  static OkHttpClient http(S3Config config, ExecutorService threads) {
    int parallel = Math.max(64, config.concurrency() * 4);
    Dispatcher dispatcher = new Dispatcher(threads);
    dispatcher.setMaxRequests(parallel);
    dispatcher.setMaxRequestsPerHost(parallel);
    return new OkHttpClient.Builder()
        .dispatcher(dispatcher)
        .connectionPool(new ConnectionPool(32, 1, TimeUnit.MINUTES))
        .connectTimeout(config.connectTimeout())
        .readTimeout(config.requestTimeout())
        .writeTimeout(config.requestTimeout())
        .protocols(List.of(Protocol.HTTP_1_1))
        .build();
  }

  /** A minio client over {@code http}; without a region it asks the server for the bucket's. */
  static MinioAsyncClient minio(S3Config config, OkHttpClient http) {
    MinioAsyncClient.Builder builder =
        MinioAsyncClient.builder()
            .endpoint(config.endpoint())
            .credentials(config.accessKey(), config.secretKey())
            .httpClient(http, false);
    if (config.region() != null) {
      builder.region(config.region());
    }
    return builder.build();
  }
}
