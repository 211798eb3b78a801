# syntax=docker/dockerfile:1
#
# One image for the three services: the gateway, the writer and the projection.
#
#   docker run quorum gateway                 # HTTP gateway          (port 8080)
#   docker run quorum writer                  # database writer       (ops port 8081 in compose and k8s; its default is 8082)
#   docker run quorum projection run          # Kafka Streams views   (port 8083)
#
# The image packages a jar built on the host; build that first, then the image:
#
#   ./mvnw -B -pl launcher -am package -DskipTests && docker build -t quorum .
#
# Configuration is QUORUM_* environment variables (each module's README lists its keys), or a
# properties file named by QUORUM_CONFIG. The jar also carries the embedded PostgreSQL binaries
# that `quorum up` uses (hence its size); the services never unpack them.
FROM eclipse-temurin:21-jre

RUN groupadd --system --gid 10001 quorum \
 && useradd --system --uid 10001 --gid quorum --home-dir /app --no-create-home --shell /usr/sbin/nologin quorum \
 && mkdir -p /app /var/lib/quorum/streams \
 && chown -R quorum:quorum /var/lib/quorum

WORKDIR /app
# Owned by root, readable by everyone: the service user cannot change its own code.
COPY --chmod=0444 launcher/target/quorum.jar /app/quorum.jar

# Kafka Streams state of the projection (QUORUM_PROJECTION_STATE_DIR); /tmp holds RocksDB's native
# library and the JVM's perf data. With a read-only root file system, mount writable volumes at both.
ENV QUORUM_PROJECTION_STATE_DIR=/var/lib/quorum/streams

USER 10001:10001

# 8080 gateway, 8081 writer ops (/metrics, /healthz, /readyz), 8083 projection query API
EXPOSE 8080 8081 8083

ENTRYPOINT ["java", "--enable-native-access=ALL-UNNAMED", "-XX:MaxRAMPercentage=75", "-jar", "/app/quorum.jar"]
CMD ["--help"]
