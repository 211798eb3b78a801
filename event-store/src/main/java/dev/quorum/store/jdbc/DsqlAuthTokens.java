package dev.quorum.store.jdbc;

import java.time.Duration;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dsql.DsqlUtilities;

/**
 * IAM auth tokens for DSQL, signed locally with the process's AWS credentials: the admin token for
 * the {@code admin} role, the plain connect token for a custom role.
 *
 * <p>A multi-region cluster has an endpoint per region and each wants a token signed for its own
 * region, so the region comes from the host name ({@code <id>.dsql.<region>.on.aws}) when it names one.
 */
public final class DsqlAuthTokens implements AuthTokens {
  private static final Pattern REGION_IN_HOST = Pattern.compile("\\.dsql\\.([a-z0-9-]+)\\.on\\.aws$");

  private final DsqlUtilities utilities;
  private final Region defaultRegion;
  private final Duration lifetime;

  public DsqlAuthTokens(AwsCredentialsProvider credentials, Region defaultRegion, Duration lifetime) {
    this.defaultRegion = Objects.requireNonNull(defaultRegion, "defaultRegion");
    this.lifetime = Objects.requireNonNull(lifetime, "lifetime");
    this.utilities = DsqlUtilities.builder().region(defaultRegion).credentialsProvider(credentials).build();
  }

  /** Tokens signed with the default credential chain (environment, profile, web identity, container, instance). */
  public static DsqlAuthTokens withDefaultCredentials(String region, Duration lifetime) {
    return new DsqlAuthTokens(DefaultCredentialsProvider.builder().build(), Region.of(region), lifetime);
  }

  @Override
  public String token(String hostname, String username) {
    Region region = regionOf(hostname);
    if ("admin".equals(username)) {
      return utilities.generateDbConnectAdminAuthToken(b -> b.hostname(hostname).region(region).expiresIn(lifetime));
    }
    return utilities.generateDbConnectAuthToken(b -> b.hostname(hostname).region(region).expiresIn(lifetime));
  }

  Region regionOf(String hostname) {
    Matcher matcher = REGION_IN_HOST.matcher(hostname);
    return matcher.find() ? Region.of(matcher.group(1)) : defaultRegion;
  }
}
