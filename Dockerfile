# syntax=docker/dockerfile:1
#
# One image for the four services: the gateway, the writer, the projection and the war room.
#
#   docker run quorum gateway                 # HTTP gateway          (port 8080, ops port 8090)
#   docker run quorum writer                  # database writer       (ops port 8081 in compose and k8s; its default is 8082)
#   docker run quorum projection run          # Kafka Streams views   (port 8083)
#   docker run quorum war-room                # the web war room      (port 8084, ops port 8085 in compose and k8s)
#
# The image packages a jar built on the host; build that first, then the image:
#
#   ./mvnw -B -pl services -am package -DskipTests && docker build -t quorum .
#
# Configuration is QUORUM_* environment variables (each module's README lists its keys), or a
# properties file named by QUORUM_CONFIG. The jar is the services-only artifact (module `services`):
# no Kafka broker, no embedded PostgreSQL, no test libraries; `quorum up` and `quorum demo` live in
# the developer launcher (launcher/target/quorum.jar) only.
FROM eclipse-temurin:21-jre

RUN groupadd --system --gid 10001 quorum \
 && useradd --system --uid 10001 --gid quorum --home-dir /app --no-create-home --shell /usr/sbin/nologin quorum \
 && mkdir -p /app /var/lib/quorum/streams \
 && chown -R quorum:quorum /var/lib/quorum

WORKDIR /app
# Owned by root, readable by everyone: the service user cannot change its own code.
COPY --chmod=0444 services/target/quorum-services.jar /app/quorum.jar

# Kafka Streams state of the projection (QUORUM_PROJECTION_STATE_DIR); /tmp holds RocksDB's native
# library and the JVM's perf data. With a read-only root file system, mount writable volumes at both.
ENV QUORUM_PROJECTION_STATE_DIR=/var/lib/quorum/streams

USER 10001:10001

# 8080 gateway, 8090 gateway ops (/metrics, /healthz, /readyz, /openapi.json), 8081 writer ops, 8083 projection query API,
# 8084 war room, 8085 war room ops
EXPOSE 8080 8090 8081 8083 8084 8085

ENTRYPOINT ["java", "--enable-native-access=ALL-UNNAMED", "-XX:MaxRAMPercentage=75", "-jar", "/app/quorum.jar"]
CMD ["--help"]
