package dev.quorum.stack.testcontainers;

import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Ports;
import dev.quorum.stack.Loopback;

/** Publishes a container's ports on the host's loopback address only (Docker's default is every interface). */
final class LoopbackPorts {

    private LoopbackPorts() {
    }

    /**
     * A create-command modifier: Testcontainers has already bound each exposed port to a random
     * host port; this keeps the host port choice and pins the host address to 127.0.0.1.
     */
    static void onLoopback(CreateContainerCmd cmd) {
        HostConfig hostConfig = cmd.getHostConfig();
        if (hostConfig == null || hostConfig.getPortBindings() == null) {
            return;
        }
        Ports rebound = new Ports();
        hostConfig.getPortBindings().getBindings().forEach((exposed, bindings) -> {
            if (bindings == null || bindings.length == 0) {
                rebound.bind(exposed, Ports.Binding.bindIp(Loopback.HOST));
                return;
            }
            for (Ports.Binding binding : bindings) {
                rebound.bind(exposed, new Ports.Binding(Loopback.HOST, binding.getHostPortSpec()));
            }
        });
        hostConfig.withPortBindings(rebound);
    }
}
