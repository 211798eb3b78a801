package dev.quorum.kit.http;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Turns a client's bearer token into what the configuration holds: its SHA-256 in hex, or with a
 * pepper its HMAC-SHA256 keyed by the pepper, so that a leaked configuration alone does not let
 * anyone check guesses.
 *
 * <p>As a program it prints the hash of the token read from standard input (kept out of the shell
 * history and the process list): {@code TokenHasher [--pepper-env VARIABLE] [--generate]};
 * {@code --generate} makes a new random token and prints it above its hash.
 */
public final class TokenHasher {
  private static final SecureRandom RANDOM = new SecureRandom();

  private TokenHasher() {}

  /** The hex hash of a token; a null or empty pepper means plain SHA-256. */
  public static String hash(String token, String pepper) {
    return HexFormat.of().formatHex(digest(token, pepper));
  }

  static byte[] digest(String token, String pepper) {
    byte[] bytes = token.getBytes(StandardCharsets.UTF_8);
    try {
      if (pepper == null || pepper.isEmpty()) return MessageDigest.getInstance("SHA-256").digest(bytes);
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(pepper.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return mac.doFinal(bytes);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("every JDK provides SHA-256 and HmacSHA256", e);
    }
  }

  /** A new random token: 32 bytes from a {@link SecureRandom}, base64url without padding. */
  public static String generateToken() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  public static void main(String[] args) throws IOException {
    int status = run(args, System.in, System.out, System.err);
    if (status != 0) System.exit(status);
  }

  /**
   * The program: the token comes only from standard input, never as an argument (which would land in
   * the shell history and the process list).
   *
   * @return the exit status: 0, or 2 for a usage error
   */
  static int run(String[] args, InputStream in, PrintStream out, PrintStream err) throws IOException {
    String pepper = null;
    boolean generate = false;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--generate" -> generate = true;
        case "--pepper-env" -> {
          if (i + 1 >= args.length) return usage(err, "--pepper-env needs the name of an environment variable");
          String variable = args[++i];
          pepper = System.getenv(variable);
          if (pepper == null || pepper.isEmpty()) return usage(err, "the environment variable " + variable + " is not set");
        }
        default -> {
          return usage(err, args[i].startsWith("-") ? "unknown option " + args[i]
              : "the token is read from standard input only, never from the command line (it would stay in the shell history)");
        }
      }
    }
    String token;
    if (generate) {
      token = generateToken();
      out.println(token);
    } else {
      String line = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).readLine();
      token = line == null ? "" : line.strip();
    }
    if (token.isEmpty()) return usage(err, "no token on standard input");
    out.println(hash(token, pepper));
    return 0;
  }

  private static int usage(PrintStream err, String problem) {
    err.println(problem);
    err.println("usage: TokenHasher [--pepper-env VARIABLE] [--generate]   (the token on standard input: printf %s \"$TOKEN\" | ...)");
    return 2;
  }
}
