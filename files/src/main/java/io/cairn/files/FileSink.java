package io.cairn.files;

import java.io.IOException;
import java.nio.channels.FileChannel;

/**
 * An output that can send a range of an open file to the client without the bytes passing through
 * this process (sendfile), for chunks of a {@link io.cairn.storage.LocalChunkFiles} store. The
 * response body implements it; the download path uses it when {@link #sendsFiles()} says so and
 * writes buffers otherwise.
 */
public interface FileSink {

  /**
   * Whether {@link #write(FileChannel, long, long)} sends without copying: false over TLS or any
   * connection where the bytes would have to be read into memory anyway; buffers are as good then.
   */
  boolean sendsFiles();

  /**
   * Sends {@code length} bytes of {@code file} from {@code offset}, after everything written before,
   * and closes {@code file} once they are sent or the sending failed. Takes ownership of {@code
   * file} also when it throws. May block while too much is in flight. The file must hold the whole
   * range: one that turns out shorter breaks the connection rather than send a short body.
   *
   * @throws IOException when the client went away
   */
  void write(FileChannel file, long offset, long length) throws IOException;
}
