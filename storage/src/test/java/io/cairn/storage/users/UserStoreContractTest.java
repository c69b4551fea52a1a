package io.cairn.storage.users;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.core.CairnException;
import io.vertx.core.Future;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The {@link UserStore} contract; each backend runs it on a fresh database. */
public abstract class UserStoreContractTest {
  protected UserStore store;

  /** A store on an empty database. */
  protected abstract UserStore create();

  @BeforeEach
  void open() {
    store = create();
  }

  @AfterEach
  void closeStore() {
    store.close();
  }

  protected static <T> T await(Future<T> f) {
    try {
      return f.toCompletionStage().toCompletableFuture().join();
    } catch (CompletionException e) {
      throw e.getCause() instanceof RuntimeException re ? re : e;
    }
  }

  private static CairnException.Kind failure(Future<?> f) {
    return assertThrows(CairnException.class, () -> await(f)).kind();
  }

  @Test
  void createdUserIsReadBackWithHomeAndNoQuota() {
    User made = await(store.createUser("alice", "$argon2id$x", false));
    User read = await(store.user("alice"));
    assertEquals(made, read);
    assertEquals("home:alice", read.home());
    assertEquals(-1, read.quotaBytes());
    assertFalse(read.admin());
    assertNull(await(store.user("bob")));
  }

  @Test
  void duplicateAndInvalidNamesAreRefused() {
    await(store.createUser("alice", "h", false));
    assertEquals(CairnException.Kind.ALREADY_EXISTS, failure(store.createUser("alice", "h2", true)));
    for (String bad : List.of("", "Alice", "al ice", "../x", "élise", "a:b", "-x")) {
      assertEquals(CairnException.Kind.INVALID, failure(store.createUser(bad, "h", false)), bad);
    }
    assertEquals("h", await(store.user("alice")).passwordHash());
  }

  @Test
  void usersAreListedByName() {
    await(store.createUser("carol", "h", false));
    await(store.createUser("alice", "h", true));
    assertEquals(List.of("alice", "carol"), await(store.users()).stream().map(User::name).toList());
  }

  @Test
  void passwordAndQuotaChangesAreStored() {
    await(store.createUser("alice", "old", false));
    await(store.setPasswordHash("alice", "new"));
    await(store.setQuota("alice", 1234));
    User u = await(store.user("alice"));
    assertEquals("new", u.passwordHash());
    assertEquals(1234, u.quotaBytes());
    assertEquals(CairnException.Kind.NOT_FOUND, failure(store.setPasswordHash("bob", "x")));
    assertEquals(CairnException.Kind.NOT_FOUND, failure(store.setQuota("bob", 1)));
    assertEquals(CairnException.Kind.INVALID, failure(store.setQuota("alice", -5)));
  }

  @Test
  void theAdminFlagIsGivenAndTakenBack() {
    await(store.createUser("alice", "h", false));
    await(store.setAdmin("alice", true));
    assertTrue(await(store.user("alice")).admin());
    await(store.setAdmin("alice", false));
    assertFalse(await(store.user("alice")).admin());
    assertEquals(CairnException.Kind.NOT_FOUND, failure(store.setAdmin("bob", true)));
  }

  @Test
  void tokensAreFoundByHashListedAndRevoked() {
    await(store.createUser("alice", "h", false));
    AppToken t1 = new AppToken("id1", "alice", "laptop", "hash1", 10, 1000);
    AppToken t2 = new AppToken("id2", "alice", "phone", "hash2", 20, 2000);
    await(store.createToken(t1));
    await(store.createToken(t2));
    assertEquals(t1, await(store.tokenByHash("hash1")));
    assertNull(await(store.tokenByHash("nope")));
    assertEquals(List.of(t1, t2), await(store.tokens("alice")));
    await(store.revokeToken("alice", "id1"));
    assertNull(await(store.tokenByHash("hash1")));
    assertEquals(CairnException.Kind.NOT_FOUND, failure(store.revokeToken("alice", "id1")));
    assertEquals(CairnException.Kind.NOT_FOUND, failure(store.revokeToken("bob", "id2")));
    assertEquals(CairnException.Kind.NOT_FOUND,
        failure(store.createToken(new AppToken("id3", "bob", "x", "hash3", 1, 2))));
  }

  @Test
  void grantsAreSetChangedAndWithdrawn() {
    await(store.createUser("alice", "h", false));
    await(store.grant("shared:team", "alice", Grant.Access.READ));
    await(store.grant("shared:team", "alice", Grant.Access.WRITE));
    await(store.grant("shared:aaa", "alice", Grant.Access.READ));
    assertEquals(
        List.of(new Grant("shared:aaa", "alice", Grant.Access.READ), new Grant("shared:team", "alice", Grant.Access.WRITE)),
        await(store.grants("alice")));
    await(store.revokeGrant("shared:aaa", "alice"));
    assertEquals(1, await(store.grants("alice")).size());
    assertEquals(CairnException.Kind.NOT_FOUND, failure(store.revokeGrant("shared:aaa", "alice")));
    assertEquals(CairnException.Kind.NOT_FOUND, failure(store.grant("shared:team", "bob", Grant.Access.READ)));
  }

  @Test
  void removingAUserRemovesTokensAndGrants() {
    await(store.createUser("alice", "h", false));
    await(store.createToken(new AppToken("id1", "alice", "laptop", "hash1", 10, 1000)));
    await(store.grant("shared:team", "alice", Grant.Access.READ));
    await(store.removeUser("alice"));
    assertNull(await(store.user("alice")));
    assertNull(await(store.tokenByHash("hash1")));
    assertTrue(await(store.grants("alice")).isEmpty());
    assertEquals(CairnException.Kind.NOT_FOUND, failure(store.removeUser("alice")));
    // the name can be taken again, and the new user inherits nothing
    await(store.createUser("alice", "h2", false));
    assertTrue(await(store.tokens("alice")).isEmpty());
  }

  @Test
  void passwordHashesVerifyOnlyTheirPassword() {
    String phc = PasswordHash.hash("correct horse");
    assertTrue(phc.startsWith("$argon2id$v=19$m=19456,t=2,p=1$"), phc);
    assertTrue(PasswordHash.verify("correct horse", phc));
    assertFalse(PasswordHash.verify("correct hors", phc));
    assertFalse(PasswordHash.verify("correct horse", phc.replace("t=2", "t=3")));
    assertFalse(PasswordHash.verify("x", "not a hash"));
    assertFalse(PasswordHash.verify("x", "$argon2id$v=19$m=1,t=1,p=1$$"));
    assertNotEquals(phc, PasswordHash.hash("correct horse"), "salted");
  }

  @Test
  void appTokensHaveAnIdAndHashStably() {
    String t = AppTokens.generate();
    assertEquals(12, AppTokens.idOf(t).length());
    assertEquals(AppTokens.hash(t), AppTokens.hash(t));
    assertNotEquals(AppTokens.hash(t), AppTokens.hash(AppTokens.generate()));
    assertNull(AppTokens.idOf("password"));
  }

  @Test
  void shareLinksAreStoredByHashCountedListedAndRevoked() {
    await(store.createUser("alice", "h", false));
    await(store.createUser("bob", "h", false));
    ShareLink file = new ShareLink("l1", "alice", "home:alice", "/a.txt", ShareLink.Mode.READ, "lhash1", null, 10, -1, 0);
    ShareLink drop = new ShareLink("l2", "alice", "shared:team", "/in", ShareLink.Mode.DROP, "lhash2", "$argon2id$x", 20, 5000, 0);
    await(store.createShareLink(file));
    await(store.createShareLink(drop));
    await(store.createShareLink(new ShareLink("l3", "bob", "home:bob", "/", ShareLink.Mode.READ, "lhash3", null, 30, -1, 0)));
    assertEquals(file, await(store.shareLinkByHash("lhash1")));
    assertEquals(drop, await(store.shareLinkByHash("lhash2")));
    assertNull(await(store.shareLinkByHash("l1")), "found by the hash of its token only, not by its id");
    assertEquals(List.of(file, drop), await(store.shareLinks("alice")));
    await(store.countShareDownload("l1"));
    await(store.countShareDownload("l1"));
    assertEquals(2, await(store.shareLinkByHash("lhash1")).downloads());
    // bob cannot revoke alice's link, even knowing its id
    assertEquals(CairnException.Kind.NOT_FOUND, failure(store.revokeShareLink("bob", "l1")));
    await(store.revokeShareLink("alice", "l1"));
    assertNull(await(store.shareLinkByHash("lhash1")));
    assertEquals(CairnException.Kind.NOT_FOUND, failure(store.revokeShareLink("alice", "l1")));
    assertEquals(CairnException.Kind.NOT_FOUND, failure(store.countShareDownload("l1")));
    assertEquals(CairnException.Kind.NOT_FOUND,
        failure(store.createShareLink(new ShareLink("l4", "carol", "home:carol", "/", ShareLink.Mode.READ, "lhash4", null, 1, -1, 0))));
    await(store.removeUser("alice"));
    assertNull(await(store.shareLinkByHash("lhash2")), "a removed user's links go with them");
    assertEquals(1, await(store.shareLinks("bob")).size());
  }

  @Test
  void shareTokensCarry256RandomBitsAndMatchOnlyTheirHash() {
    String t = ShareTokens.generate();
    assertEquals(32, java.util.Base64.getUrlDecoder().decode(t).length);
    assertTrue(ShareTokens.looksLikeToken(t));
    assertFalse(AppTokens.looksLikeToken(t), "a link's token is never an app token");
    assertFalse(ShareTokens.looksLikeToken(AppTokens.generate()));
    assertFalse(ShareTokens.looksLikeToken(t.substring(1) + "/"));
    assertNotEquals(t, ShareTokens.generate());
    String stored = ShareTokens.hash(t);
    assertFalse(stored.contains(t));
    assertTrue(ShareTokens.matches(t, stored));
    assertFalse(ShareTokens.matches(ShareTokens.generate(), stored));
    assertFalse(ShareTokens.matches(t, null));
  }
}
