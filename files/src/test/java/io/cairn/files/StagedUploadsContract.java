package io.cairn.files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.cairn.core.CairnException;
import io.cairn.storage.Expect;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Chunked uploads as the Nextcloud and ownCloud clients send them ({@link StagedUploads}): parts
 * staged per user, assembled in numeric order with the same digests as one PUT, held to the
 * announced length and to the quota, and removed when abandoned for a day. Not run on its own:
 * backends subclass {@link FileServiceContract}.
 */
abstract class StagedUploadsContract extends FileServiceFixture {
  private StagedUploads uploads;

  @BeforeEach
  void openUploads() {
    uploads = new StagedUploads(journal, chunks, files, clock);
  }

  private void part(Caller c, String id, String name, String text) throws IOException {
    byte[] b = text.getBytes(StandardCharsets.UTF_8);
    uploads.part(c, id, name, new ByteArrayInputStream(b), b.length);
  }

  @Test
  void partsAreAssembledInNumericOrderWithTheDigestsOfOnePut() throws IOException {
    uploads.begin(bob, "t");
    part(bob, "t", "10", "third ");
    part(bob, "t", "2", "second ");
    part(bob, "t", "0", "first ");
    ContentUpload.Result content = uploads.assemble(bob, "t", 19);
    FilePath p = new FilePath(BOB, "/whole.txt");
    files.put(bob, p, content, Expect.ANY);
    assertEquals("first second third ", read(bob, p));
    ContentUpload.Result once = files.upload(
        new ByteArrayInputStream("first second third ".getBytes(StandardCharsets.UTF_8)), 19);
    assertEquals(once.contentHash(), content.contentHash());
    assertEquals(once.digests(), content.digests(), "the same digests as one PUT");
    assertEquals(List.of("0", "2", "10"), uploads.parts(bob, "t").stream().map(e -> e.name()).sorted(
        (a, b) -> StagedUploads.partOrder(a, b)).toList());
  }

  @Test
  void theAnnouncedLengthMustMatchThePartsAndNothingIsCommittedOtherwise() throws IOException {
    uploads.begin(bob, "t");
    part(bob, "t", "1", "abc");
    refused(CairnException.Kind.INVALID, () -> uploads.assemble(bob, "t", 4));
    assertNull(files.entry(bob, new FilePath(BOB, "/whole.txt")));
    assertEquals(3, uploads.assemble(bob, "t", -1).size(), "-1: not announced");
  }

  @Test
  void uploadsArePerUserAndNeedToBeStarted() throws IOException {
    uploads.begin(alice, "t");
    part(alice, "t", "1", "mine");
    refused(CairnException.Kind.NOT_FOUND, () -> uploads.parts(bob, "t"));
    refused(CairnException.Kind.NOT_FOUND, () -> part(bob, "t", "1", "x"));
    refused(CairnException.Kind.NOT_FOUND, () -> part(alice, "never-begun", "1", "x"));
    refused(CairnException.Kind.ALREADY_EXISTS, () -> uploads.begin(alice, "t"));
    refused(CairnException.Kind.FORBIDDEN, () -> part(alice, "t", ".file", "x"));
    refused(CairnException.Kind.INVALID, () -> uploads.begin(alice, ".."));
    assertEquals(1, uploads.parts(alice, "t").size());
  }

  @Test
  void stagedPartsCountAgainstTheQuota() throws IOException {
    uploads.begin(alice, "t");
    part(alice, "t", "1", "x".repeat(600));
    refused(CairnException.Kind.INSUFFICIENT_STORAGE, () -> part(alice, "t", "2", "y".repeat(600)));
    part(alice, "t", "1", "z".repeat(900));
    assertEquals(900, uploads.parts(alice, "t").get(0).size(), "a part sent again replaces itself");
  }

  @Test
  void anUploadAbandonedForADayGoesWhenItsUserStartsAnother() throws IOException {
    uploads.begin(alice, "old");
    part(alice, "old", "1", "stale");
    uploads.begin(bob, "bobs");
    // The journal stamps entries with the system's time, the files layer reads its own clock.
    clock.advance(Duration.between(clock.instant(), Instant.now()).plus(StagedUploads.EXPIRY).plusHours(1));
    uploads.begin(alice, "new");
    assertNull(uploads.upload(alice, "old"), "expired");
    assertNotNull(uploads.upload(alice, "new"));
    assertNotNull(uploads.upload(bob, "bobs"), "another user's uploads are theirs to expire");
    assertEquals(1, uploads.expire(bob));
    assertNull(uploads.upload(bob, "bobs"));
  }

  @Test
  void aClaimedUploadIsAssembledOnceAndTakesNoMoreParts() throws IOException {
    uploads.begin(bob, "t");
    part(bob, "t", "0", "abc");
    String claimed = uploads.claim(bob, "t");
    refused(CairnException.Kind.NOT_FOUND, () -> uploads.claim(bob, "t"));
    refused(CairnException.Kind.NOT_FOUND, () -> part(bob, "t", "1", "late"));
    assertEquals(3, uploads.assemble(bob, claimed, 3).size());
    uploads.release(bob, claimed, "t");
    assertEquals(1, uploads.parts(bob, "t").size(), "a released upload is there again for a retry");
    refused(CairnException.Kind.INVALID, () -> uploads.begin(bob, claimed));
    refused(CairnException.Kind.INVALID, () -> uploads.part(bob, "t", "2", new ByteArrayInputStream(new byte[1]), -1));
  }

  @Test
  void theSweepRemovesEveryUsersAbandonedUploadsAndNothingElse() throws IOException {
    uploads.begin(alice, "a1");
    part(alice, "a1", "1", "stale");
    uploads.begin(bob, "b1");
    uploads.begin(bob, "b2");
    put(bob, new FilePath(BOB, "/kept.txt"), "not an upload");
    assertEquals(0, uploads.expireAll(), "nothing is a day old yet");
    clock.advance(Duration.between(clock.instant(), Instant.now()).plus(StagedUploads.EXPIRY).plusHours(1));
    assertEquals(3, uploads.expireAll());
    assertNull(uploads.upload(alice, "a1"));
    assertNull(uploads.upload(bob, "b2"));
    assertEquals("not an upload", read(bob, new FilePath(BOB, "/kept.txt")));
    assertEquals(0, uploads.expireAll(), "a second sweep finds nothing");
  }

  @Test
  void cancellingByPrefixRemovesThoseUploadsOnlyWhateverTheirAge() throws IOException {
    assertEquals(0, uploads.cancelAll(bob, "drop-x-"), "nothing staged yet");
    uploads.begin(bob, "drop-x-1");
    part(bob, "drop-x-1", "0", "a stranger's part");
    uploads.begin(bob, "drop-x-2");
    uploads.begin(bob, "drop-xy-1");
    uploads.begin(bob, "own");
    assertEquals(2, uploads.cancelAll(bob, "drop-x-"));
    assertNull(uploads.upload(bob, "drop-x-1"));
    assertNull(uploads.upload(bob, "drop-x-2"));
    assertNotNull(uploads.upload(bob, "drop-xy-1"), "another prefix");
    assertNotNull(uploads.upload(bob, "own"));
    refused(CairnException.Kind.INVALID, () -> uploads.cancelAll(bob, ""));
  }
}
