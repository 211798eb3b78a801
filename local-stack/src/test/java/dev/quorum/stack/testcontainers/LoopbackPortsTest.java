package dev.quorum.stack.testcontainers;

import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.PortBinding;
import com.github.dockerjava.api.model.Ports;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;

import static org.assertj.core.api.Assertions.assertThat;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class LoopbackPortsTest {

    @Test
    void every_published_port_is_bound_on_127_0_0_1_and_keeps_its_host_port_choice() {
        // Given the bindings Testcontainers makes: a random host port (empty spec) on every interface
        HostConfig hostConfig = HostConfig.newHostConfig().withPortBindings(
                new PortBinding(Ports.Binding.empty(), ExposedPort.tcp(5432)),
                new PortBinding(Ports.Binding.bindPort(15432), ExposedPort.tcp(9999)));

        // When
        LoopbackPorts.onLoopback(commandWith(hostConfig));

        // Then
        var bindings = hostConfig.getPortBindings().getBindings();
        assertThat(bindings).containsOnlyKeys(ExposedPort.tcp(5432), ExposedPort.tcp(9999));
        assertThat(bindings.get(ExposedPort.tcp(5432))).extracting(Ports.Binding::getHostIp).containsExactly("127.0.0.1");
        assertThat(bindings.get(ExposedPort.tcp(5432))).extracting(Ports.Binding::getHostPortSpec).containsOnlyNulls();
        assertThat(bindings.get(ExposedPort.tcp(9999))).extracting(Ports.Binding::getHostPortSpec).containsExactly("15432");
        assertThat(bindings.get(ExposedPort.tcp(9999))).extracting(Ports.Binding::getHostIp).containsExactly("127.0.0.1");
    }

    /** A create command that only answers getHostConfig(), which is all the modifier reads. */
    private static CreateContainerCmd commandWith(HostConfig hostConfig) {
        return (CreateContainerCmd) Proxy.newProxyInstance(CreateContainerCmd.class.getClassLoader(),
                new Class<?>[] {CreateContainerCmd.class}, (proxy, method, args) -> {
                    if (method.getName().equals("getHostConfig")) {
                        return hostConfig;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }
}
