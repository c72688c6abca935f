package dev.otto.temporal.internal;

import com.google.common.hash.HashFunction;
import com.google.common.hash.Hashing;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Optional;

/**
 * Webhook tokens that the workflow never sees: a token names its run and wait and carries an
 * HMAC-SHA256 of both under the host's key. The host hands it out with the wait's {@code
 * WaitStarted} event and checks it when a callback brings it back; only the wait's id travels to
 * the workflow, so no token is in any history.
 */
public final class Tokens {
  private static final Base64.Encoder ENCODE = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder DECODE = Base64.getUrlDecoder();

  private final HashFunction mac;

  public Tokens(byte[] key) {
    this.mac = Hashing.hmacSha256(key);
  }

  /** The run and wait a token was made for. */
  public record Target(String run, String waitId) {}

  public String make(String run, String waitId) {
    return ENCODE.encodeToString(run.getBytes(StandardCharsets.UTF_8)) + "."
        + ENCODE.encodeToString(waitId.getBytes(StandardCharsets.UTF_8)) + "."
        + ENCODE.encodeToString(sign(run, waitId));
  }

  /** The run and wait of a token this host made; empty for anything else. */
  public Optional<Target> check(String token) {
    String[] parts = token.split("\\.", -1);
    if (parts.length != 3) {
      return Optional.empty();
    }
    try {
      String run = new String(DECODE.decode(parts[0]), StandardCharsets.UTF_8);
      String waitId = new String(DECODE.decode(parts[1]), StandardCharsets.UTF_8);
      return MessageDigest.isEqual(sign(run, waitId), DECODE.decode(parts[2]))
          ? Optional.of(new Target(run, waitId)) : Optional.empty();
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  private byte[] sign(String run, String waitId) {
    return mac.newHasher().putString(run, StandardCharsets.UTF_8).putByte((byte) 0)
        .putString(waitId, StandardCharsets.UTF_8).hash().asBytes();
  }
}
