package dev.quorum.stack.testcontainers;

import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.PortBinding;
import com.github.dockerjava.api.model.Ports;
import dev.quorum.stack.Loopback;

import java.util.Arrays;
import java.util.function.Consumer;

/** Publishes a container's ports on the host's loopback address only (Docker's default is every interface). */
final class LoopbackPorts {

    private LoopbackPorts() {
    }

    /** A create-command modifier binding each given container port to a random host port on 127.0.0.1. */
    static Consumer<CreateContainerCmd> only(int... containerPorts) {
        return cmd -> {
            HostConfig hostConfig = cmd.getHostConfig() == null ? HostConfig.newHostConfig() : cmd.getHostConfig();
            PortBinding[] bindings = Arrays.stream(containerPorts)
                    .mapToObj(p -> new PortBinding(Ports.Binding.bindIp(Loopback.HOST), ExposedPort.tcp(p)))
                    .toArray(PortBinding[]::new);
            cmd.withHostConfig(hostConfig.withPortBindings(bindings).withPublishAllPorts(false));
        };
    }
}
