package io.cairn.server.http;

import io.netty.buffer.ByteBuf;

/**
 * Follows a chunked body (RFC 9112 §7.1) byte by byte to find where it ends, so that {@link
 * RequestGate} knows where the next request head begins. It only watches: the bytes themselves go
 * on to Netty's decoder unchanged. Chunk extensions and trailer lines are bounded; anything
 * malformed is a {@link RequestHead.Refusal} with status 400. Not thread-safe: one per body.
 */
final class ChunkedBody {
  /** Bytes allowed in one chunk-size line with its extensions, or in one trailer line. */
  static final int MAX_LINE = 4096;
  /** Bytes allowed in all trailer lines together. */
  static final int MAX_TRAILERS = 16 << 10;

  private enum State { SIZE, EXTENSION, SIZE_LF, DATA, DATA_CR, DATA_LF, TRAILER, TRAILER_LF, DONE }

  private State state = State.SIZE;
  private long remaining;
  private int sizeDigits;
  private int lineBytes;
  private int trailerBytes;
  private boolean lastChunk;
  private boolean emptyTrailerLine = true;

  /** Whether the last chunk and the trailer section have been seen. */
  boolean done() {
    return state == State.DONE;
  }

  /**
   * Consumes {@code b}'s bytes {@code [from, to)} up to the end of the body; returns the index just past the last
   * byte that belongs to the body ({@code to} when it is not over yet).
   */
  int consume(ByteBuf b, int from, int to) {
    int i = from;
    while (i < to && state != State.DONE) {
      if (state == State.DATA) {
        int n = (int) Math.min(remaining, to - i);
        remaining -= n;
        i += n;
        if (remaining == 0) {
          state = State.DATA_CR;
        }
        continue;
      }
      step(b.getByte(i++));
    }
    return i;
  }

  private void step(byte c) {
    switch (state) {
      case SIZE -> size(c);
      case EXTENSION -> {
        if (c == '\r') {
          state = State.SIZE_LF;
        } else if ((c < 0x20 && c != '\t') || c == 0x7f) {
          throw bad("control character in a chunk extension");
        } else if (++lineBytes > MAX_LINE) {
          throw bad("chunk extension too long");
        }
      }
      case SIZE_LF -> {
        expect(c, '\n');
        if (lastChunk) {
          state = State.TRAILER;
          lineBytes = 0;
          emptyTrailerLine = true;
        } else {
          state = State.DATA;
        }
      }
      case DATA_CR -> {
        expect(c, '\r');
        state = State.DATA_LF;
      }
      case DATA_LF -> {
        expect(c, '\n');
        state = State.SIZE;
        sizeDigits = 0;
        lineBytes = 0;
      }
      case TRAILER -> {
        if (c == '\r') {
          state = State.TRAILER_LF;
        } else if ((c < 0x20 && c != '\t') || c == 0x7f) {
          throw bad("control character in a trailer");
        } else {
          emptyTrailerLine = false;
          if (++lineBytes > MAX_LINE || ++trailerBytes > MAX_TRAILERS) {
            throw bad("trailer section too long");
          }
        }
      }
      case TRAILER_LF -> {
        expect(c, '\n');
        if (emptyTrailerLine) {
          state = State.DONE;
        } else {
          state = State.TRAILER;
          lineBytes = 0;
          emptyTrailerLine = true;
        }
      }
      default -> throw new IllegalStateException(state.name());
    }
  }

  private void size(byte c) {
    int digit = Character.digit(c, 16);
    if (digit >= 0) {
      if (++sizeDigits > 15) {
        throw bad("chunk size too large");
      }
      remaining = remaining * 16 + digit;
      return;
    }
    if (sizeDigits == 0) {
      throw bad("malformed chunk size");
    }
    lastChunk = remaining == 0;
    if (c == ';' || c == ' ' || c == '\t') {
      state = State.EXTENSION;
    } else if (c == '\r') {
      state = State.SIZE_LF;
    } else {
      throw bad("malformed chunk size");
    }
  }

  private static void expect(byte c, char wanted) {
    if (c != wanted) {
      throw bad("malformed chunked body");
    }
  }

  private static RequestHead.Refusal bad(String reason) {
    return new RequestHead.Refusal(400, reason);
  }
}
