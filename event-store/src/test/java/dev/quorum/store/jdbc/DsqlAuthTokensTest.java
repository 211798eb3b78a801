package dev.quorum.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class DsqlAuthTokensTest {
  // Signing is local: fixed, fake credentials never leave the process.
  private final DsqlAuthTokens tokens = new DsqlAuthTokens(
      StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")),
      Region.US_EAST_1, Duration.ofMinutes(15));

  @Test
  void the_admin_role_gets_an_admin_token_signed_for_the_endpoint() {
    String token = tokens.token("abcdefghijkl.dsql.us-east-1.on.aws", "admin");

    assertThat(token).startsWith("abcdefghijkl.dsql.us-east-1.on.aws/?Action=DbConnectAdmin")
        .contains("X-Amz-Expires=900", "X-Amz-Signature=", "us-east-1%2Fdsql%2Faws4_request");
  }

  @Test
  void a_custom_role_gets_a_plain_connect_token() {
    assertThat(tokens.token("abcdefghijkl.dsql.us-east-1.on.aws", "quorum_writer")).contains("Action=DbConnect&");
  }

  @Test
  void each_regional_endpoint_of_a_multi_region_cluster_is_signed_for_its_own_region() {
    assertThat(tokens.regionOf("abcdefghijkl.dsql.eu-west-2.on.aws")).isEqualTo(Region.EU_WEST_2);
    assertThat(tokens.regionOf("db.internal.example")).isEqualTo(Region.US_EAST_1);
    assertThat(tokens.token("abcdefghijkl.dsql.eu-west-2.on.aws", "admin")).contains("eu-west-2%2Fdsql");
  }

  @Test
  void every_call_mints_a_token_of_its_own_lifetime() {
    DsqlAuthTokens short_lived = new DsqlAuthTokens(
        StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "secret")),
        Region.US_EAST_1, Duration.ofMinutes(5));

    assertThat(short_lived.token("x.dsql.us-east-1.on.aws", "admin")).contains("X-Amz-Expires=300");
  }
}
