package dev.quorum.stack.regions;

import dev.quorum.stack.regions.MirrorMakerProcess.Cluster;

import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class MirrorMakerProcessTest {

    private final Properties p = MirrorMakerProcess.properties(new Cluster("A", "127.0.0.1:1"), new Cluster("B", "127.0.0.1:2"),
            List.of("quorum.events.committed.v1"), Map.of("B.producer.linger.ms", "0"));

    @Test
    void both_directions_mirror_exactly_the_named_topics() {
        assertThat(p.getProperty("clusters")).isEqualTo("A, B");
        assertThat(p.getProperty("A->B.enabled")).isEqualTo("true");
        assertThat(p.getProperty("B->A.enabled")).isEqualTo("true");
        assertThat(p.getProperty("A->B.topics")).isEqualTo("quorum\\.events\\.committed\\.v1");
        // the exact name: the mirrored A.quorum.events.committed.v1 in B does not match, so nothing goes back
        assertThat("A.quorum.events.committed.v1".matches(p.getProperty("B->A.topics"))).isFalse();
        assertThat("quorum.events.committed.v1".matches(p.getProperty("B->A.topics"))).isTrue();
        assertThat(p.getProperty("replication.policy.class")).endsWith("DefaultReplicationPolicy");
    }

    @Test
    void only_committed_records_are_mirrored_and_overrides_win() {
        assertThat(p.getProperty("A.consumer.isolation.level")).isEqualTo("read_committed");
        assertThat(p.getProperty("B.consumer.isolation.level")).isEqualTo("read_committed");
        assertThat(p.getProperty("A.bootstrap.servers")).isEqualTo("127.0.0.1:1");
        assertThat(p.getProperty("B.producer.linger.ms")).isEqualTo("0");
        assertThat(p.getProperty("offset.storage.replication.factor")).isEqualTo("1");
    }

    @Test
    void the_class_path_names_connect_mirror() {
        assertThat(MirrorMakerProcess.classPath()).contains("connect-mirror-").contains("connect-runtime-");
    }

    @Test
    void an_alias_is_a_plain_name() {
        assertThatThrownBy(() -> new Cluster("A.B", "x:1")).isInstanceOf(IllegalArgumentException.class);
    }
}
