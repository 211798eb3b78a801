package dev.quorum.stack.testcontainers;

import dev.quorum.stack.PostgresDatabase;
import dev.quorum.stack.PostgresServer;
import dev.quorum.stack.postgres.Databases;
import dev.quorum.stack.postgres.ServerDatabase;

import org.testcontainers.postgresql.PostgreSQLContainer;
import org.testcontainers.utility.DockerImageName;

import javax.sql.DataSource;

/** PostgreSQL in the official {@code postgres} image, on a loopback port, with per-test databases like the embedded server. */
public final class TestcontainersPostgres implements PostgresDatabase, PostgresServer, AutoCloseable {

    /** The same major version as the embedded binaries. */
    public static final String IMAGE = "postgres:17";
    private static final int POSTGRES_PORT = 5432;

    private final PostgreSQLContainer container;

    public TestcontainersPostgres() {
        this(IMAGE);
    }

    public TestcontainersPostgres(String image) {
        container = new PostgreSQLContainer(DockerImageName.parse(image))
                .withDatabaseName("postgres")
                .withCreateContainerCmdModifier(LoopbackPorts::onLoopback);
        container.setCommand("postgres", "-c", "fsync=off", "-c", "full_page_writes=off", "-c", "max_connections=200");
    }

    /** Starts the container and returns once the server accepts connections. */
    public TestcontainersPostgres start() {
        container.start();
        return this;
    }

    @Override
    public String jdbcUrl() {
        return admin().jdbcUrl();
    }

    @Override
    public String username() {
        return container.getUsername();
    }

    @Override
    public String password() {
        return container.getPassword();
    }

    @Override
    public DataSource dataSource() {
        return admin().dataSource();
    }

    @Override
    public PostgresDatabase newDatabase(String name) {
        return Databases.create(admin(), name);
    }

    @Override
    public void dropDatabase(PostgresDatabase database) {
        Databases.drop(admin(), database);
    }

    private ServerDatabase admin() {
        return new ServerDatabase(container.getHost(), container.getMappedPort(POSTGRES_PORT),
                container.getDatabaseName(), container.getUsername(), container.getPassword());
    }

    @Override
    public void close() {
        container.close();
    }
}
