package dev.quorum.stack.junit;

import dev.quorum.stack.KafkaBroker;
import dev.quorum.stack.PostgresDatabase;
import dev.quorum.stack.kafka.EmbeddedKafka;
import dev.quorum.stack.postgres.EmbeddedPostgres;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineTestKit;

import java.net.ConnectException;
import java.net.Socket;
import java.net.URI;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

@WithKafka
@WithPostgres
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class LocalStackExtensionIT {

    private static PostgresDatabase databaseOfThisClass;

    @BeforeAll
    static void remember_the_class_database(PostgresDatabase db) {
        databaseOfThisClass = db;
    }

    @Test
    void test_classes_share_one_broker_and_one_server_but_each_gets_its_own_database_and_the_run_closes_them() {
        // Given
        ExtensionSamples.SEEN.clear();

        // When
        EngineTestKit.engine("junit-jupiter")
                .selectors(selectClass(ExtensionSamples.FirstUser.class), selectClass(ExtensionSamples.SecondUser.class))
                .execute()
                .testEvents()
                .assertStatistics(stats -> stats.started(2).succeeded(2));

        // Then
        String[] first = ExtensionSamples.SEEN.get("FirstUser");
        String[] second = ExtensionSamples.SEEN.get("SecondUser");
        assertThat(first[0]).isEqualTo(second[0]);
        assertThat(first[1]).isNotEqualTo(second[1]);
        assertThat(hostAndPort(first[1])).isEqualTo(hostAndPort(second[1]));
        // and the servers of that run are closed when it ends
        assertThatThrownBy(() -> connect(first[0])).isInstanceOf(ConnectException.class);
        assertThatThrownBy(() -> connect(hostAndPort(first[1]))).isInstanceOf(ConnectException.class);
    }

    @Test
    void every_method_of_a_class_gets_the_database_its_constructor_and_before_all_got(PostgresDatabase db) {
        assertThat(db).isSameAs(databaseOfThisClass);
        assertThat(db.jdbcUrl()).contains("localstackextensionit");
    }

    @Test
    void a_dedicated_broker_and_server_are_not_the_shared_ones(KafkaBroker shared, EmbeddedKafka dedicated,
                                                               PostgresDatabase db, EmbeddedPostgres dedicatedServer) {
        assertThat(dedicated.bootstrapServers()).isNotEqualTo(shared.bootstrapServers());
        assertThat(hostAndPort(dedicatedServer.jdbcUrl())).isNotEqualTo(hostAndPort(db.jdbcUrl()));
    }

    @Nested
    class A_nested_class {
        @Test
        void shares_the_database_of_its_enclosing_class(PostgresDatabase db) {
            assertThat(db).isSameAs(databaseOfThisClass);
        }
    }

    private static String hostAndPort(String jdbcUrlOrHostPort) {
        if (!jdbcUrlOrHostPort.startsWith("jdbc:")) {
            return jdbcUrlOrHostPort;
        }
        URI uri = URI.create(jdbcUrlOrHostPort.substring("jdbc:".length()));
        return uri.getHost() + ":" + uri.getPort();
    }

    private static void connect(String hostPort) throws Exception {
        String[] parts = hostPort.split(":");
        new Socket(parts[0], Integer.parseInt(parts[1])).close();
    }
}
