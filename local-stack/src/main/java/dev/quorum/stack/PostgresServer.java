package dev.quorum.stack;

/** A PostgreSQL server on which isolated databases can be created, so that test classes do not see each other's rows. */
public interface PostgresServer {

    /**
     * Creates a new, empty database on this server. The name is made safe and unique
     * (lower case, at most 63 characters, a numeric suffix when taken), so the returned
     * database's name may differ from the one asked for.
     */
    PostgresDatabase newDatabase(String name);

    /** Drops a database created by {@link #newDatabase(String)}, closing its open connections first. */
    void dropDatabase(PostgresDatabase database);
}
